// Slack's data visualization (bar, line, area, pie charts drawn as inline SVG) and data table
// (sortable by column, paged by page_size) blocks, for the sandbox page.

const SVG = 'http://www.w3.org/2000/svg';
const COLORS = ['#1264a3', '#e8912d', '#2bac76', '#e01e5a', '#6b4fbb', '#36c5f0'];

function el(tag, className, children = []) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

function svg(tag, attributes = {}, children = []) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  for (const child of children) node.append(child);
  return node;
}

function text(x, y, content, attributes = {}) {
  const node = svg('text', { x, y, 'font-size': 11, fill: '#616061', ...attributes });
  node.textContent = content;
  return node;
}

const number = (value) => (Number.isFinite(value) ? Math.round(value * 10) / 10 : 0);

/** A bar, line or area chart: value axis with gridlines, categories below, a legend on top. */
function seriesChart(chart) {
  const categories = chart.axis_config?.categories ?? [];
  const series = chart.series ?? [];
  const values = series.flatMap((s) => (s.data ?? []).map((p) => number(p.value)));
  const max = Math.max(0, ...values);
  const min = Math.min(0, ...values);
  const top = max === min ? max + 1 : max + (max - min) * 0.05;
  const width = Math.max(420, categories.length * 56 + 80);
  const height = 260;
  const plot = { left: 48, right: width - 12, top: 36, bottom: height - 56 };
  const y = (v) => plot.bottom - ((v - min) / (top - min)) * (plot.bottom - plot.top);
  const step = (plot.right - plot.left) / Math.max(1, categories.length);
  const xCenter = (i) => plot.left + step * (i + 0.5);
  const nodes = [];
  for (let i = 0; i <= 4; i++) {
    const v = min + ((top - min) * i) / 4;
    nodes.push(svg('line', { x1: plot.left, x2: plot.right, y1: y(v), y2: y(v), stroke: '#e8e8e8' }));
    nodes.push(text(plot.left - 6, y(v) + 4, String(Math.round(v)), { 'text-anchor': 'end' }));
  }
  categories.forEach((label, i) => {
    const t = text(xCenter(i), plot.bottom + 14, label, { 'text-anchor': 'end', transform: `rotate(-30 ${xCenter(i)} ${plot.bottom + 14})` });
    nodes.push(t);
  });
  const valueOf = (s, label) => number((s.data ?? []).find((p) => p.label === label)?.value);
  if (chart.type === 'bar') {
    const band = (step * 0.8) / Math.max(1, series.length);
    series.forEach((s, k) => {
      categories.forEach((label, i) => {
        const v = valueOf(s, label);
        const x = xCenter(i) - step * 0.4 + band * k;
        const bar = svg('rect', { x, y: Math.min(y(v), y(0)), width: Math.max(1, band - 2), height: Math.abs(y(0) - y(v)), fill: COLORS[k % COLORS.length], rx: 2 });
        bar.append(Object.assign(svg('title'), { textContent: `${s.name} · ${label}: ${v}` }));
        nodes.push(bar);
      });
    });
  } else {
    series.forEach((s, k) => {
      const points = categories.map((label, i) => [xCenter(i), y(valueOf(s, label))]);
      const color = COLORS[k % COLORS.length];
      if (chart.type === 'area' && points.length > 0) {
        const area = `M${points[0][0]},${y(0)} ${points.map(([px, py]) => `L${px},${py}`).join(' ')} L${points.at(-1)[0]},${y(0)} Z`;
        nodes.push(svg('path', { d: area, fill: color, 'fill-opacity': 0.25 }));
      }
      nodes.push(svg('polyline', { points: points.map((p) => p.join(',')).join(' '), fill: 'none', stroke: color, 'stroke-width': 2 }));
      points.forEach(([px, py], i) => {
        const dot = svg('circle', { cx: px, cy: py, r: 3, fill: color });
        dot.append(Object.assign(svg('title'), { textContent: `${s.name} · ${categories[i]}: ${valueOf(s, categories[i])}` }));
        nodes.push(dot);
      });
    });
  }
  let legendX = plot.left;
  series.forEach((s, k) => {
    nodes.push(svg('rect', { x: legendX, y: 10, width: 10, height: 10, fill: COLORS[k % COLORS.length], rx: 2 }));
    nodes.push(text(legendX + 14, 19, s.name, { fill: '#1d1c1d' }));
    legendX += 24 + String(s.name).length * 6.5;
  });
  if (chart.axis_config?.y_label) nodes.push(text(12, (plot.top + plot.bottom) / 2, chart.axis_config.y_label, { transform: `rotate(-90 12 ${(plot.top + plot.bottom) / 2})`, 'text-anchor': 'middle' }));
  if (chart.axis_config?.x_label) nodes.push(text((plot.left + plot.right) / 2, height - 4, chart.axis_config.x_label, { 'text-anchor': 'middle' }));
  return svg('svg', { viewBox: `0 0 ${width} ${height}`, width: '100%', style: `max-width: ${width}px`, role: 'img', class: 'chart-svg' }, nodes);
}

function pieChart(chart) {
  const segments = chart.segments ?? [];
  const total = segments.reduce((n, s) => n + Math.max(0, number(s.value)), 0) || 1;
  const nodes = [];
  let angle = -Math.PI / 2;
  segments.forEach((s, k) => {
    const sweep = (Math.max(0, number(s.value)) / total) * Math.PI * 2;
    const [x1, y1] = [110 + 90 * Math.cos(angle), 110 + 90 * Math.sin(angle)];
    angle += sweep;
    const [x2, y2] = [110 + 90 * Math.cos(angle), 110 + 90 * Math.sin(angle)];
    const slice = svg('path', { d: `M110,110 L${x1},${y1} A90,90 0 ${sweep > Math.PI ? 1 : 0} 1 ${x2},${y2} Z`, fill: COLORS[k % COLORS.length] });
    slice.append(Object.assign(svg('title'), { textContent: `${s.label}: ${Math.round((number(s.value) / total) * 100)}%` }));
    nodes.push(slice);
    nodes.push(svg('rect', { x: 230, y: 20 + k * 20, width: 10, height: 10, fill: COLORS[k % COLORS.length] }));
    nodes.push(text(246, 29 + k * 20, `${s.label} (${Math.round((number(s.value) / total) * 100)}%)`, { fill: '#1d1c1d' }));
  });
  return svg('svg', { viewBox: '0 0 420 220', width: 420, height: 220, role: 'img', class: 'chart-svg' }, nodes);
}

export function dataVisualization(node) {
  const chart = node.chart ?? {};
  const drawing = chart.type === 'pie' ? pieChart(chart) : seriesChart(chart);
  drawing.setAttribute('aria-label', String(node.title ?? 'Chart'));
  return el('figure', 'block data-visualization', [el('figcaption', 'chart-title', [String(node.title ?? '')]), el('div', 'chart-scroll', [drawing])]);
}

const cellText = (cell) => {
  if (cell?.type === 'raw_text' || cell?.type === 'raw_number') return String(cell.text ?? '');
  const walk = (v) => (Array.isArray(v) ? v.map(walk).join('') : v && typeof v === 'object' ? String(v.text ?? '') + walk(v.elements ?? []) : '');
  return walk(cell?.elements ?? []);
};

/** A data table: click a column header to sort (numbers when every cell of the column is a number), Previous/Next to page. */
export function dataTable(node, renderRichText) {
  const [header = [], ...rows] = node.rows ?? [];
  const pageSize = Number.isInteger(node.page_size) ? node.page_size : 5;
  const state = { page: 0, column: -1, descending: false };
  const numeric = header.map((_, c) => rows.length > 0 && rows.every((r) => r[c]?.type === 'raw_number'));
  const table = el('table', 'data-table');
  const caption = el('caption', null, [String(node.caption ?? '')]);
  const head = el('thead');
  const body = el('tbody');
  const status = el('span', 'table-page');
  const previous = el('button', 'btn small', ['Previous']);
  const next = el('button', 'btn small', ['Next']);
  previous.type = next.type = 'button';
  table.append(caption, head, body);

  const sorted = () => {
    if (state.column < 0) return rows;
    const c = state.column;
    const key = numeric[c] ? (r) => Number(r[c]?.value ?? 0) : (r) => cellText(r[c]).toLowerCase();
    const order = [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    return state.descending ? order.reverse() : order;
  };
  const draw = () => {
    head.replaceChildren(
      el(
        'tr',
        null,
        header.map((cell, c) => {
          const th = el('th', c === state.column ? 'sorted' : null, [cellText(cell), c === state.column ? (state.descending ? ' ▼' : ' ▲') : '']);
          th.scope = 'col';
          th.tabIndex = 0;
          th.onclick = () => {
            state.descending = state.column === c ? !state.descending : false;
            state.column = c;
            state.page = 0;
            draw();
          };
          return th;
        }),
      ),
    );
    const all = sorted();
    const pages = Math.max(1, Math.ceil(all.length / pageSize));
    state.page = Math.min(state.page, pages - 1);
    body.replaceChildren(
      ...all.slice(state.page * pageSize, (state.page + 1) * pageSize).map((row) =>
        el(
          'tr',
          null,
          row.map((cell, c) => el(c === (node.row_header_column_index ?? 0) ? 'th' : 'td', numeric[c] ? 'number' : null, [cell?.type === 'rich_text' ? renderRichText(cell) : cellText(cell)])),
        ),
      ),
    );
    status.textContent = `${all.length === 0 ? 0 : state.page * pageSize + 1}–${Math.min(all.length, (state.page + 1) * pageSize)} of ${all.length}`;
    previous.disabled = state.page === 0;
    next.disabled = state.page >= pages - 1;
  };
  previous.onclick = () => {
    state.page -= 1;
    draw();
  };
  next.onclick = () => {
    state.page += 1;
    draw();
  };
  draw();
  return el('div', 'block data-table-block', [el('div', 'table-scroll', [table]), el('div', 'table-pager', [previous, status, next])]);
}
