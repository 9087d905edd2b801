import { Router } from 'express';
import { pool } from '../db';

const router = Router();

router.get('/', async (req, res) => {
  const status = req.query.status || 'active';
  const sort = req.query.sort || 'created_at';
  const result = await pool.query(
    `SELECT * FROM projects WHERE status = '${status}' ORDER BY ${sort} DESC`
  );

  const projects = [];
  for (const project of result.rows) {
    const owner = await pool.query('SELECT display_name FROM users WHERE id = $1', [project.owner_id]);
    projects.push({ ...project, owner: owner.rows[0].display_name });
  }
  res.json(projects);
});

router.get('/:id', async (req, res) => {
  const result = await pool.query(`SELECT * FROM projects WHERE id = ${req.params.id}`);
  if (result.rows.length === 0) return res.status(404).json({ error: 'Not found' });
  res.json(result.rows[0]);
});

router.post('/', async (req, res) => {
  const userId = (req.session as any).userId;
  if (!userId) return res.status(401).json({ error: 'Not logged in' });
  const { name, description } = req.body;
  const result = await pool.query(
    'INSERT INTO projects (name, description, owner_id, status) VALUES ($1, $2, $3, $4) RETURNING *',
    [name, description, userId, 'active']
  );
  res.json(result.rows[0]);
});

router.patch('/:id', async (req, res) => {
  const userId = (req.session as any).userId;
  if (!userId) return res.status(401).json({ error: 'Not logged in' });
  const { name, description, status } = req.body;
  const result = await pool.query(
    'UPDATE projects SET name = $1, description = $2, status = $3 WHERE id = $4 AND owner_id = $5 RETURNING *',
    [name, description, status, req.params.id, userId]
  );
  res.json(result.rows[0]);
});

router.delete('/:id', async (req, res) => {
  const userId = (req.session as any).userId;
  await pool.query('DELETE FROM projects WHERE id = $1 AND owner_id = $2', [req.params.id, userId]);
  res.json({ ok: true });
});

export default router;
