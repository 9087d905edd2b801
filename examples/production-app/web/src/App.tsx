import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, type Project, type User } from './api';

function describe(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'invalid_credentials') return 'Email or password is incorrect.';
    return `Something went wrong (${error.code}). Reference: ${error.requestId ?? 'none'}`;
  }
  return 'The server could not be reached. Check your connection and try again.';
}

export function App() {
  const [user, setUser] = useState<User | null>(null);
  const [projects, setProjects] = useState<Project[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api.me().then(setUser, () => setUser(null));
  }, []);

  useEffect(() => {
    if (user === null) return;
    api.projects().then((page) => setProjects(page.projects), (e: unknown) => setError(describe(e)));
  }, [user]);

  async function onLogin(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setError(null);
    try {
      setUser(await api.login(String(form.get('email')), String(form.get('password'))));
    } catch (e) {
      setError(describe(e));
    }
  }

  async function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    try {
      const project = await api.createProject(String(form.get('name')), String(form.get('description') ?? ''));
      setProjects((current) => [...current, project]);
      formElement.reset();
    } catch (e) {
      setError(describe(e));
    }
  }

  if (user === null) {
    return (
      <main>
        <h1>Log in</h1>
        <form onSubmit={onLogin}>
          <input name="email" type="email" autoComplete="username" required />
          <input name="password" type="password" autoComplete="current-password" required />
          <button type="submit">Log in</button>
        </form>
        {error && <p role="alert">{error}</p>}
      </main>
    );
  }

  return (
    <main>
      <header>
        <h1>{user.displayName}'s projects</h1>
        <button onClick={() => void api.logout().then(() => setUser(null))}>Log out</button>
      </header>
      {error && <p role="alert">{error}</p>}
      <ul>
        {projects.map((project) => (
          <li key={project.id}>
            <strong>{project.name}</strong> {project.description}
          </li>
        ))}
      </ul>
      <form onSubmit={onCreate}>
        <input name="name" placeholder="Project name" required maxLength={120} />
        <input name="description" placeholder="Description" maxLength={2000} />
        <button type="submit">Add project</button>
      </form>
    </main>
  );
}
