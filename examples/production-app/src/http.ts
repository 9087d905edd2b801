import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import { ZodError, z } from 'zod';

/** An error the client caused or may see; anything else is a 500 with a generic message. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/**
 * Express 4 does not catch rejected promises from handlers: without this wrapper a failed query leaves the
 * request hanging and surfaces as an unhandled rejection. The rejection goes to the error middleware instead.
 *
 * @example router.get('/projects', asyncHandler(async (req, res) => { res.json(await list()); }));
 */
export function asyncHandler(
  handler: (req: Request, res: Response, next: NextFunction) => Promise<void>,
): RequestHandler {
  return (req, res, next) => {
    handler(req, res, next).catch(next);
  };
}

export const notFound: RequestHandler = (_req, _res, next) => {
  next(new HttpError(404, 'not_found', 'No such route'));
};

/**
 * The last middleware: maps validation and HTTP errors to their status, logs everything else with the
 * request id and answers 500 without leaking internals.
 */
export const errorHandler: ErrorRequestHandler = (error: unknown, req, res, next) => {
  if (res.headersSent) {
    next(error);
    return;
  }
  if (error instanceof ZodError) {
    res.status(400).json({ error: 'invalid_request', issues: z.flattenError(error).fieldErrors });
    return;
  }
  if (error instanceof HttpError) {
    res.status(error.status).json({ error: error.code, message: error.message });
    return;
  }
  req.log.error({ err: error }, 'unhandled error while serving request');
  res.status(500).json({ error: 'internal_error', requestId: req.id });
};
