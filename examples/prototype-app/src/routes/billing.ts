import { Router } from 'express';
import { pool } from '../db';

const router = Router();

router.post('/checkout', async (req, res) => {
  const userId = (req.session as any).userId;
  const { seats } = req.body;
  const user = await pool.query('SELECT email FROM users WHERE id = $1', [userId]);

  const response = await fetch('https://api.stripe.com/v1/checkout/sessions', {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${process.env.STRIPE_SECRET_KEY}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      mode: 'subscription',
      'line_items[0][price]': process.env.STRIPE_PRICE_ID,
      'line_items[0][quantity]': String(seats),
      customer_email: user.rows[0].email,
      success_url: `${process.env.APP_URL}/billing/success`,
      cancel_url: `${process.env.APP_URL}/billing`,
    }),
  });
  const session = await response.json();
  res.json({ url: session.url });
});

export default router;
