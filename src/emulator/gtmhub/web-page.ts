/**
 * The emulator's stand-in for Gtmhub's web app. Metric `url`s point at `<origin>/#/goals/…/metrics/metric/<id>/`;
 * the hash never reaches a server, so every such link loads `/`, and this page reads the hash and
 * shows the key result it names (through the unauthenticated control endpoint `/_emulator/metrics/<id>`).
 */
import type { EmulatorModel } from './model.js';

export interface KeyResultSummary {
  id: string;
  name: string;
  goalName: string;
  actual: number;
  target: number;
  attainment: number;
  lastCheckInDate: string | null;
}

export function keyResultSummary(model: EmulatorModel, metricId: string): KeyResultSummary | undefined {
  const metric = model.metric(metricId);
  if (!metric) return undefined;
  return {
    id: metric.id,
    name: metric.name,
    goalName: model.goal(metric.goalId)?.name ?? '',
    actual: metric.actual,
    target: metric.target,
    attainment: metric.attainment,
    lastCheckInDate: metric.lastCheckInDate,
  };
}

export const WEB_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Gtmhub emulator</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}h1{font-size:1.4rem}.muted{color:#666}</style>
</head>
<body>
<h1 id="title">Gtmhub emulator</h1>
<p id="detail" class="muted">Key result links of the emulator's API (a metric's <code>url</code>) open here.</p>
<script>
const title = document.getElementById('title');
const detail = document.getElementById('detail');
async function show() {
  const match = /^#\\/goals\\/[^/]+\\/all\\/[^/]+\\/metrics\\/metric\\/([0-9a-f]{24})/i.exec(location.hash);
  if (!match) return;
  const response = await fetch('/_emulator/metrics/' + match[1]);
  if (!response.ok) {
    title.textContent = 'Key result not found';
    detail.textContent = match[1];
    return;
  }
  const kr = await response.json();
  title.textContent = kr.name;
  detail.textContent = kr.goalName + ' · ' + kr.actual + ' of ' + kr.target + ' (' + Math.round(kr.attainment * 100) + ' %)' +
    (kr.lastCheckInDate ? ' · last check-in ' + kr.lastCheckInDate : ' · no check-in yet');
}
window.addEventListener('hashchange', show);
show();
</script>
</body>
</html>
`;
