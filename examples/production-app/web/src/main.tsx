import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';

document.title = import.meta.env.VITE_APP_TITLE ?? 'Projects';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
