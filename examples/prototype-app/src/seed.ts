import 'dotenv/config';
import bcrypt from 'bcryptjs';
import { pool } from './db';

async function seed() {
  const existing = await pool.query('SELECT COUNT(*) FROM users');
  if (Number(existing.rows[0].count) > 0) {
    console.log('Database already seeded, skipping');
    await pool.end();
    return;
  }

  const hash = await bcrypt.hash('demo1234', 10);
  const user = await pool.query(
    "INSERT INTO users (email, password_hash, display_name) VALUES ('demo@projects.dev', $1, 'Demo User') RETURNING id",
    [hash]
  );
  const ownerId = user.rows[0].id;
  await pool.query(
    `INSERT INTO projects (name, description, owner_id, status) VALUES
      ('Website relaunch', 'New marketing site', $1, 'active'),
      ('Mobile app', 'iOS and Android clients', $1, 'active')`,
    [ownerId]
  );
  console.log('Seeded demo user demo@projects.dev / demo1234');
  await pool.end();
}

seed();
