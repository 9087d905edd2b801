import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../db';
import type { Env } from '../env';
import { asyncHandler, HttpError } from '../http';
import { createCheckoutSession } from '../integrations';
import { requireUser } from '../security';

const CheckoutBody = z.object({ seats: z.number().int().min(1).max(500) });

export function billingRouter(env: Env, db: Db): Router {
  const router = Router();
  router.use(requireUser);

  router.post(
    '/checkout',
    asyncHandler(async (req, res) => {
      const body = CheckoutBody.parse(req.body);
      const { rows } = await db.query<{ id: string; email: string }>('SELECT id, email FROM users WHERE id = $1', [
        req.session.userId,
      ]);
      const user = rows[0];
      if (user === undefined) throw new HttpError(401, 'unauthenticated', 'Log in first');
      const checkout = await createCheckoutSession(env, { customerEmail: user.email, seats: body.seats, userId: user.id });
      res.status(201).json({ url: checkout.url });
    }),
  );

  return router;
}
