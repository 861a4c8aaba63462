// A Chart.js chart with the figures also in a table: the canvas is for the eye, the table for screen
// readers and for copying. Only the parts of Chart.js the console uses are registered (smaller bundle).
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { useEffect, useId, useRef } from 'react';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
);

export interface Series {
  label: string;
  /** Decimal strings from the API; Chart.js plots them as numbers (display only). */
  values: (string | number)[];
}

const COLOURS = ['#1f5fa8', '#2e8540', '#b35c00', '#8a1c7c', '#5b616b', '#c0392b'];

export function ChartView(props: {
  title: string;
  kind: 'bar' | 'line';
  labels: string[];
  series: Series[];
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const id = useId();
  useEffect(() => {
    if (!canvas.current) return undefined;
    const chart = new Chart(canvas.current, {
      type: props.kind,
      data: {
        labels: props.labels,
        datasets: props.series.map((series, index) => ({
          label: series.label,
          data: series.values.map(Number),
          backgroundColor: COLOURS[index % COLOURS.length],
          borderColor: COLOURS[index % COLOURS.length],
        })),
      },
      options: { animation: false, responsive: true, maintainAspectRatio: false },
    });
    return () => chart.destroy();
  }, [props.kind, props.labels, props.series]);

  return (
    <figure className="chart" aria-labelledby={id}>
      <figcaption id={id}>{props.title}</figcaption>
      <div className="chart-canvas">
        <canvas ref={canvas} role="img" aria-label={`${props.title} (figures in the table below)`} />
      </div>
      <details>
        <summary>Figures</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">Group</th>
              {props.series.map((series) => (
                <th scope="col" key={series.label}>
                  {series.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.labels.map((label, row) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                {props.series.map((series) => (
                  <td key={series.label}>{series.values[row]}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
