import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../db';
import { asyncHandler, HttpError } from '../http';
import { requireUser } from '../security';

const ProjectParams = z.object({ id: z.coerce.number().int().positive() });
const ListQuery = z.object({
  status: z.enum(['active', 'archived']).default('active'),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  // Keyset pagination: the id of the last project on the previous page.
  after: z.coerce.number().int().positive().optional(),
});
const CreateBody = z.object({
  name: z.string().trim().min(1).max(120),
  description: z.string().trim().max(2_000).default(''),
});
const UpdateBody = z
  .object({
    name: z.string().trim().min(1).max(120),
    description: z.string().trim().max(2_000),
    status: z.enum(['active', 'archived']),
  })
  .partial()
  .refine((body) => Object.keys(body).length > 0, 'nothing to update');

interface ProjectRow {
  id: string;
  name: string;
  description: string;
  status: 'active' | 'archived';
  created_at: Date;
  updated_at: Date;
  owner_name: string;
  last_edited_by_name: string | null;
}

// One query per page: the owner and last editor come from joins, never from a query per row.
const SELECT_PROJECTS = `
  SELECT p.id, p.name, p.description, p.status, p.created_at, p.updated_at,
         owner.display_name AS owner_name, editor.display_name AS last_edited_by_name
    FROM projects p
    JOIN users owner ON owner.id = p.owner_id
    LEFT JOIN users editor ON editor.id = p.last_edited_by`;

function toProject(row: ProjectRow) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    status: row.status,
    owner: row.owner_name,
    lastEditedBy: row.last_edited_by_name,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Every signed-in member sees every project; only its owner may change or delete it. */
export function projectsRouter(db: Db): Router {
  const router = Router();
  router.use(requireUser);

  router.get(
    '/',
    asyncHandler(async (req, res) => {
      const query = ListQuery.parse(req.query);
      const { rows } = await db.query<ProjectRow>(
        `${SELECT_PROJECTS}
          WHERE p.status = $1 AND ($2::bigint IS NULL OR p.id > $2)
          ORDER BY p.id
          LIMIT $3`,
        [query.status, query.after ?? null, query.limit],
      );
      res.json({ projects: rows.map(toProject), next: rows.length === query.limit ? rows.at(-1)?.id : null });
    }),
  );

  router.post(
    '/',
    asyncHandler(async (req, res) => {
      const body = CreateBody.parse(req.body);
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO projects (owner_id, name, description, last_edited_by) VALUES ($1, $2, $3, $1)
         ON CONFLICT (owner_id, name) DO NOTHING
         RETURNING id`,
        [req.session.userId, body.name, body.description],
      );
      const created = rows[0];
      if (created === undefined) throw new HttpError(409, 'project_exists', 'You already have a project with this name');
      res.status(201).json(await findProject(db, created.id));
    }),
  );

  router.get(
    '/:id',
    asyncHandler(async (req, res) => {
      const { id } = ProjectParams.parse(req.params);
      res.json(await findProject(db, id));
    }),
  );

  router.patch(
    '/:id',
    asyncHandler(async (req, res) => {
      const { id } = ProjectParams.parse(req.params);
      const body = UpdateBody.parse(req.body);
      const { rowCount } = await db.query(
        `UPDATE projects
            SET name = COALESCE($3, name),
                description = COALESCE($4, description),
                status = COALESCE($5, status),
                last_edited_by = $1,
                updated_at = now()
          WHERE owner_id = $1 AND id = $2`,
        [req.session.userId, id, body.name ?? null, body.description ?? null, body.status ?? null],
      );
      if (rowCount === 0) throw new HttpError(404, 'not_found', 'No such project');
      res.json(await findProject(db, id));
    }),
  );

  router.delete(
    '/:id',
    asyncHandler(async (req, res) => {
      const { id } = ProjectParams.parse(req.params);
      const { rowCount } = await db.query('DELETE FROM projects WHERE owner_id = $1 AND id = $2', [
        req.session.userId,
        id,
      ]);
      if (rowCount === 0) throw new HttpError(404, 'not_found', 'No such project');
      res.status(204).end();
    }),
  );

  return router;
}

async function findProject(db: Db, id: string | number) {
  const { rows } = await db.query<ProjectRow>(`${SELECT_PROJECTS} WHERE p.id = $1`, [id]);
  const row = rows[0];
  if (row === undefined) throw new HttpError(404, 'not_found', 'No such project');
  return toProject(row);
}
