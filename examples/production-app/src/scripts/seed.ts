// Local and staging demo data. Idempotent: every run upserts, so a changed seed reaches a database volume
// that already has the previous version (the "seed skipped, login fails" trap).
import { Pool } from 'pg';
import { z } from 'zod';
import { hashPassword } from '../passwords';

const SeedEnv = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: z.string().regex(/^postgres(?:ql)?:\/\//),
  SEED_USER_EMAIL: z.email(),
  SEED_USER_PASSWORD: z.string().min(12),
});

const PROJECTS = [
  { name: 'Website relaunch', description: 'New marketing site and docs', status: 'active' },
  { name: 'Mobile app', description: 'iOS and Android clients for the projects API', status: 'active' },
  { name: 'Data warehouse', description: 'Nightly export to the analytics database', status: 'archived' },
] as const;

async function main(): Promise<void> {
  const env = SeedEnv.parse(process.env);
  if (env.NODE_ENV === 'production') {
    throw new Error('refusing to seed a production database');
  }
  const pool = new Pool({ connectionString: env.DATABASE_URL, connectionTimeoutMillis: 5_000 });
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO users (email, display_name, password_hash) VALUES ($1, $2, $3)
       ON CONFLICT (email) DO UPDATE
         SET display_name = EXCLUDED.display_name, password_hash = EXCLUDED.password_hash, updated_at = now()
       RETURNING id`,
      [env.SEED_USER_EMAIL, 'Demo User', await hashPassword(env.SEED_USER_PASSWORD)],
    );
    const userId = rows[0]?.id;
    if (userId === undefined) throw new Error('seed user upsert returned no row');
    // One statement for all projects (arrays unnested server-side) instead of a round trip per project.
    await client.query(
      `INSERT INTO projects (owner_id, name, description, status, last_edited_by)
       SELECT $1, name, description, status, $1
         FROM unnest($2::text[], $3::text[], $4::text[]) AS seed(name, description, status)
       ON CONFLICT (owner_id, name) DO UPDATE
         SET description = EXCLUDED.description, status = EXCLUDED.status, updated_at = now()`,
      [
        userId,
        PROJECTS.map((project) => project.name),
        PROJECTS.map((project) => project.description),
        PROJECTS.map((project) => project.status),
      ],
    );
    await client.query('COMMIT');
    console.info(`seeded ${env.SEED_USER_EMAIL} with ${PROJECTS.length} projects`);
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
    await pool.end();
  }
}

main().catch((error: unknown) => {
  console.error('seed failed:', error);
  process.exit(1);
});
