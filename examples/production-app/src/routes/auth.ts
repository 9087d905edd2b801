import { Router, type Request } from 'express';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import type { Db } from '../db';
import type { Env } from '../env';
import { asyncHandler, HttpError } from '../http';
import { sendMail } from '../integrations';
import { hashPassword, verifyPassword } from '../passwords';
import { authLimiter, requireUser } from '../security';

const Email = z.string().trim().toLowerCase().pipe(z.email().max(254));
// The upper bound matters: hashing a 1 MB "password" is a cheap denial of service.
const Password = z.string().min(12).max(256);

const SignupBody = z.object({ email: Email, password: Password, displayName: z.string().trim().min(1).max(80) });
const LoginBody = z.object({ email: Email, password: z.string().min(1).max(256) });
const ResetRequestBody = z.object({ email: Email });
const ResetConfirmBody = z.object({ token: z.string().min(20).max(2048), password: Password });
const ResetClaims = z.object({ sub: z.string(), purpose: z.literal('password-reset'), fp: z.string() });

/** Ties a reset token to the current password hash, so it stops working once it has been used. */
function fingerprint(passwordHash: string): string {
  return passwordHash.slice(-12);
}

interface UserRow {
  id: string;
  email: string;
  display_name: string;
  password_hash: string;
}

export function authRouter(env: Env, db: Db): Router {
  const router = Router();

  router.post(
    '/signup',
    authLimiter,
    asyncHandler(async (req, res) => {
      const body = SignupBody.parse(req.body);
      const passwordHash = await hashPassword(body.password);
      const { rows } = await db.query<Pick<UserRow, 'id' | 'email' | 'display_name'>>(
        `INSERT INTO users (email, display_name, password_hash) VALUES ($1, $2, $3)
         ON CONFLICT (email) DO NOTHING
         RETURNING id, email, display_name`,
        [body.email, body.displayName, passwordHash],
      );
      const user = rows[0];
      if (user === undefined) throw new HttpError(409, 'email_taken', 'An account with this email already exists');
      await regenerateSession(req, user.id);
      res.status(201).json({ id: user.id, email: user.email, displayName: user.display_name });
    }),
  );

  router.post(
    '/login',
    authLimiter,
    asyncHandler(async (req, res) => {
      const body = LoginBody.parse(req.body);
      const { rows } = await db.query<UserRow>(
        'SELECT id, email, display_name, password_hash FROM users WHERE email = $1',
        [body.email],
      );
      const user = rows[0];
      // Same answer for an unknown email and a wrong password: the endpoint must not reveal who has an account.
      if (user === undefined || !(await verifyPassword(body.password, user.password_hash))) {
        throw new HttpError(401, 'invalid_credentials', 'Email or password is incorrect');
      }
      await regenerateSession(req, user.id);
      res.json({ id: user.id, email: user.email, displayName: user.display_name });
    }),
  );

  router.post('/logout', (req, res, next) => {
    req.session.destroy((error: unknown) => {
      if (error) {
        next(error);
        return;
      }
      res.clearCookie('projects.sid').status(204).end();
    });
  });

  router.get(
    '/me',
    requireUser,
    asyncHandler(async (req, res) => {
      const { rows } = await db.query<Pick<UserRow, 'id' | 'email' | 'display_name'>>(
        'SELECT id, email, display_name FROM users WHERE id = $1',
        [req.session.userId],
      );
      const user = rows[0];
      if (user === undefined) throw new HttpError(401, 'unauthenticated', 'Log in first');
      res.json({ id: user.id, email: user.email, displayName: user.display_name });
    }),
  );

  router.post(
    '/reset',
    authLimiter,
    asyncHandler(async (req, res) => {
      const body = ResetRequestBody.parse(req.body);
      const { rows } = await db.query<UserRow>('SELECT id, email, password_hash FROM users WHERE email = $1', [
        body.email,
      ]);
      const user = rows[0];
      if (user !== undefined) {
        const token = jwt.sign({ purpose: 'password-reset', fp: fingerprint(user.password_hash) }, env.JWT_SECRET, {
          subject: user.id,
          expiresIn: '30m',
        });
        try {
          await sendMail(env, {
            to: user.email,
            subject: 'Reset your Projects password',
            text: `Open this link within 30 minutes to choose a new password: ${env.APP_URL}/reset?token=${token}`,
          });
        } catch (error) {
          // Logged and tracked, but the answer stays 202: it must not reveal whether the email has an account.
          req.log.error({ err: error }, 'password reset email failed');
        }
      }
      res.status(202).json({ status: 'If this email has an account, a reset link is on its way' });
    }),
  );

  router.post(
    '/reset/confirm',
    authLimiter,
    asyncHandler(async (req, res) => {
      const body = ResetConfirmBody.parse(req.body);
      let claims: z.infer<typeof ResetClaims>;
      try {
        claims = ResetClaims.parse(jwt.verify(body.token, env.JWT_SECRET));
      } catch {
        throw new HttpError(400, 'invalid_token', 'This reset link is invalid or has expired');
      }
      const { rows } = await db.query<UserRow>('SELECT id, password_hash FROM users WHERE id = $1', [claims.sub]);
      const user = rows[0];
      if (user === undefined || fingerprint(user.password_hash) !== claims.fp) {
        throw new HttpError(400, 'invalid_token', 'This reset link is invalid or has expired');
      }
      await db.query('UPDATE users SET password_hash = $1, updated_at = now() WHERE id = $2', [
        await hashPassword(body.password),
        user.id,
      ]);
      // Log out every device that had a session with the old password.
      await db.query("DELETE FROM user_sessions WHERE sess->>'userId' = $1", [user.id]);
      res.status(204).end();
    }),
  );

  return router;
}

/** A new session id at login prevents session fixation. */
function regenerateSession(req: Request, userId: string): Promise<void> {
  return new Promise((resolve, reject) => {
    req.session.regenerate((error: unknown) => {
      if (error) {
        reject(error);
        return;
      }
      req.session.userId = userId;
      resolve();
    });
  });
}
