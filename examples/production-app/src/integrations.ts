import { z } from 'zod';
import type { Env } from './env';
import { HttpError } from './http';

/**
 * Outbound calls to third parties. Every request has a timeout: a slow provider must cost one failed request,
 * not every worker of the pool waiting on a socket that never answers.
 */
const MAIL_TIMEOUT_MS = 5_000;
const STRIPE_TIMEOUT_MS = 8_000;

export interface Mail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/** Sends one transactional email through the mail provider's HTTP API. */
export async function sendMail(env: Env, mail: Mail): Promise<void> {
  const response = await fetch(env.MAIL_API_URL, {
    method: 'POST',
    headers: { authorization: `Bearer ${env.MAIL_API_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ from: env.MAIL_FROM, ...mail }),
    signal: AbortSignal.timeout(MAIL_TIMEOUT_MS),
  });
  if (!response.ok) {
    throw new Error(`mail API answered ${response.status}`);
  }
}

const CheckoutSession = z.object({ id: z.string(), url: z.url() });

/** Creates a Stripe Checkout session for the team plan and returns the URL to redirect the user to. */
export async function createCheckoutSession(
  env: Env,
  input: { customerEmail: string; seats: number; userId: string },
): Promise<z.infer<typeof CheckoutSession>> {
  const form = new URLSearchParams({
    mode: 'subscription',
    'line_items[0][price]': env.STRIPE_PRICE_ID,
    'line_items[0][quantity]': String(input.seats),
    customer_email: input.customerEmail,
    client_reference_id: input.userId,
    success_url: `${env.APP_URL}/billing/success`,
    cancel_url: `${env.APP_URL}/billing`,
  });
  const response = await fetch('https://api.stripe.com/v1/checkout/sessions', {
    method: 'POST',
    headers: {
      authorization: `Bearer ${env.STRIPE_SECRET_KEY}`,
      'content-type': 'application/x-www-form-urlencoded',
      'idempotency-key': `checkout-${input.userId}-${Math.floor(Date.now() / 60_000)}`,
    },
    body: form,
    signal: AbortSignal.timeout(STRIPE_TIMEOUT_MS),
  });
  if (!response.ok) {
    throw new HttpError(502, 'payment_provider_error', 'The payment provider is unavailable, try again shortly');
  }
  return CheckoutSession.parse(await response.json());
}
