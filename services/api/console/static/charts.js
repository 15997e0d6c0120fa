// A service's utilisation chart: uPlot (loaded as a global by index.html),
// average and maximum per period, alarm thresholds as dashed lines, scaling
// activities as vertical markers.
import { html, useEffect, useRef } from "./vendor/preact-htm.js";

const THRESHOLD_COLOURS = { ALARM: "#dc2626", OK: "#16a34a", INSUFFICIENT_DATA: "#9ca3af" };

/** Draws what uPlot's series do not: thresholds and scaling activities. */
const overlay = (metric, activities) => (u) => {
  const { ctx } = u;
  const { left, top, width, height } = u.bbox;
  ctx.save();
  ctx.font = `${Math.round(11 * devicePixelRatio)}px system-ui, sans-serif`;
  ctx.textAlign = "left";
  ctx.textBaseline = "bottom";
  for (const alarm of metric.alarms) {
    if (typeof alarm.threshold !== "number") continue;
    const y = u.valToPos(alarm.threshold, "y", true);
    if (y < top || y > top + height) continue;
    ctx.strokeStyle = THRESHOLD_COLOURS[alarm.stateValue] ?? "#d97706";
    ctx.fillStyle = ctx.strokeStyle;
    ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
    ctx.lineWidth = devicePixelRatio;
    ctx.beginPath();
    ctx.moveTo(left, y);
    ctx.lineTo(left + width, y);
    ctx.stroke();
    ctx.fillText(
      `${alarm.alarmName} ${alarm.threshold}`,
      left + 4 * devicePixelRatio,
      y - 3 * devicePixelRatio,
    );
  }
  ctx.setLineDash([]);
  ctx.strokeStyle = "#7c3aed";
  ctx.fillStyle = "#7c3aed";
  for (const a of activities) {
    const x = u.valToPos(Number(a.startTime), "x", true);
    if (x < left || x > left + width) continue;
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
    ctx.beginPath();
    ctx.arc(x, top + 5 * devicePixelRatio, 4 * devicePixelRatio, 0, 2 * Math.PI);
    ctx.fill();
  }
  ctx.restore();
};

const yRange = (metric) => {
  const values = metric.datapoints.map((d) => d.maximum).filter((v) => Number.isFinite(v));
  const thresholds = metric.alarms.map((a) => a.threshold).filter((v) => typeof v === "number");
  return Math.max(100, ...values, ...thresholds.map((t) => t * 1.1));
};

export const UtilisationChart = ({ title, metric, activities, startTime, endTime }) => {
  const box = useRef(null);
  const plot = useRef(null);
  useEffect(() => {
    if (!box.current || !window.uPlot) return undefined;
    const width = Math.max(320, box.current.clientWidth || 560);
    const data = [
      metric.datapoints.map((d) => d.timestamp),
      metric.datapoints.map((d) => d.average),
      metric.datapoints.map((d) => d.maximum),
    ];
    const opts = {
      width,
      height: 220,
      scales: {
        x: { time: true, range: () => [startTime, endTime] },
        y: { range: () => [0, yRange(metric)] },
      },
      axes: [{}, { label: "%", size: 50 }],
      series: [
        {},
        { label: "Average", stroke: "#2463eb", width: 2, points: { show: true, size: 4 } },
        { label: "Maximum", stroke: "#93c5fd", width: 1, dash: [4, 3] },
      ],
      hooks: { draw: [overlay(metric, activities)] },
    };
    plot.current?.destroy();
    plot.current = new window.uPlot(opts, data, box.current);
    return () => {
      plot.current?.destroy();
      plot.current = null;
    };
  }, [metric, activities, startTime, endTime]);
  const n = metric.alarms.length;
  const summary = ` · ${metric.datapoints.length} datapoints${n ? ` · ${n} alarm${n > 1 ? "s" : ""}` : ""}`;
  return html`<div class="card" data-testid=${`chart-${metric.metricName}`}>
    <strong>${title}</strong>
    <span class="muted">${summary}</span>
    <div ref=${box}></div>
  </div>`;
};
