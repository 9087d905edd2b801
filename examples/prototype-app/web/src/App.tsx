import { useEffect, useState } from 'react';
import { createProject, getProjects, login, me } from './api';

export default function App() {
  const [user, setUser] = useState<any>(null);
  const [projects, setProjects] = useState<any[]>([]);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState('');

  useEffect(() => {
    me().then(setUser).catch(() => {});
  }, []);

  useEffect(() => {
    if (user) getProjects().then(setProjects);
  }, [user]);

  const handleLogin = async (e: React.FormEvent) => {
    e.preventDefault();
    try {
      setUser(await login(email, password));
    } catch (err) {
      setError(err.message);
    }
  };

  const handleCreate = async (e: React.FormEvent) => {
    e.preventDefault();
    const project = await createProject(name, '');
    setProjects([...projects, project]);
    setName('');
  };

  if (!user) {
    return (
      <form onSubmit={handleLogin}>
        <h1>Login</h1>
        <input value={email} onChange={(e) => setEmail(e.target.value)} placeholder="Email" />
        <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} placeholder="Password" />
        <button type="submit">Login</button>
        {error && <p style={{ color: 'red' }}>{error}</p>}
      </form>
    );
  }

  return (
    <div>
      <h1>Projects</h1>
      <ul>
        {projects.map((p) => (
          <li key={p.id}>
            {p.name} <small>by {p.owner}</small>
          </li>
        ))}
      </ul>
      <form onSubmit={handleCreate}>
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="New project" />
        <button type="submit">Add</button>
      </form>
    </div>
  );
}
