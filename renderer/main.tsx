/** @file The renderer's entry: styles, the studio client for this host, and the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './styles/theme.css';
import './styles/app.css';
import './styles/canvas.css';
import { App } from './app/App';
import { studio } from './studio';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element.');
createRoot(root).render(
  <StrictMode>
    <App studio={studio} />
  </StrictMode>,
);
