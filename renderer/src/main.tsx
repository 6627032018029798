import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { connectEngineEvents, loadRecent, loadProfiles, loadRuns, refreshWorkspace } from './store/actions.js';
import { useAppStore } from './store/index.js';
import './styles.css';

connectEngineEvents();
// A workspace may already be open in the host (reload, or browser mode started with one).
void refreshWorkspace().then(() => {
  if (useAppStore.getState().workspace) {
    void loadRuns();
    void loadProfiles();
  }
});
void loadRecent();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
