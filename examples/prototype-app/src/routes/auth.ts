import { Router } from 'express';
import bcrypt from 'bcryptjs';
import jwt from 'jsonwebtoken';
import { pool } from '../db';

const router = Router();

const JWT_SECRET = process.env.JWT_SECRET || 'dev-secret';

router.post('/signup', async (req, res) => {
  const { email, password, name } = req.body;
  const hash = await bcrypt.hash(password, 10);
  const result = await pool.query(
    'INSERT INTO users (email, password_hash, display_name) VALUES ($1, $2, $3) RETURNING id, email, display_name',
    [email, hash, name]
  );
  (req.session as any).userId = result.rows[0].id;
  res.json(result.rows[0]);
});

router.post('/login', async (req, res) => {
  const { email, password } = req.body;
  const result = await pool.query('SELECT * FROM users WHERE email = $1', [email]);
  const user = result.rows[0];
  if (!user || !(await bcrypt.compare(password, user.password_hash))) {
    return res.status(401).json({ error: 'Invalid credentials' });
  }
  (req.session as any).userId = user.id;
  res.json({ id: user.id, email: user.email, name: user.display_name });
});

router.post('/logout', (req, res) => {
  req.session.destroy(() => {
    res.json({ ok: true });
  });
});

router.get('/me', async (req, res) => {
  const userId = (req.session as any).userId;
  if (!userId) return res.status(401).json({ error: 'Not logged in' });
  const result = await pool.query('SELECT id, email, display_name FROM users WHERE id = $1', [userId]);
  res.json(result.rows[0]);
});

router.post('/reset', async (req, res) => {
  const { email } = req.body;
  const result = await pool.query('SELECT id FROM users WHERE email = $1', [email]);
  if (result.rows.length === 0) {
    return res.status(404).json({ error: 'User not found' });
  }
  const token = jwt.sign({ userId: result.rows[0].id }, JWT_SECRET, { expiresIn: '1h' });
  // TODO: send an email
  console.log(`Password reset link: ${process.env.APP_URL}/reset?token=${token}`);
  res.json({ ok: true });
});

router.post('/reset/confirm', async (req, res) => {
  const { token, password } = req.body;
  const payload = jwt.verify(token, JWT_SECRET) as { userId: number };
  const hash = await bcrypt.hash(password, 10);
  await pool.query('UPDATE users SET password_hash = $1 WHERE id = $2', [hash, payload.userId]);
  res.json({ ok: true });
});

export default router;
