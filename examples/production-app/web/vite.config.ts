import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  // One .env for the whole repository (see ../.env.example); only VITE_* names reach the bundle.
  envDir: '..',
  server: {
    // Dev only: the Vite dev server forwards /api to the API on the host, so the browser code uses the same
    // relative /api path in development and production and never needs an API URL.
    proxy: { '/api': 'http://localhost:3000' },
  },
});
