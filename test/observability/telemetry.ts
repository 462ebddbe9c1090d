import { AggregationTemporality, MeterProvider, MetricReader, type DataPoint, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { Logger } from '../../src/ports/logger.js';
import { openTelemetryInstrumentation } from '../../src/otel/index.js';
import type { Clock } from '../../src/ports/clock.js';

/** A reader collected on demand (no timer), cumulative. */
class OnDemandReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** One metric point, flattened: its instrument, attributes and value (a sum, a gauge, or a histogram's count). */
export interface Point {
  readonly name: string;
  readonly unit: string;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly value: number;
}

const valueOf = (point: DataPoint<unknown>): number => {
  const value = point.value;
  if (typeof value === 'number') return value;
  return (value as { readonly count: number }).count;
};

/** An OpenTelemetry SDK in memory: the exported spans, the metric points, and the instrumentation over them. */
export const telemetry = (clock?: Clock) => {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const reader = new OnDemandReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const instrumentation = openTelemetryInstrumentation({ tracerProvider, meterProvider, ...(clock === undefined ? {} : { clock }) });
  const spans = (): readonly ReadableSpan[] => exporter.getFinishedSpans();
  const points = async (): Promise<readonly Point[]> => {
    const { resourceMetrics }: { resourceMetrics: ResourceMetrics } = await reader.collect();
    return resourceMetrics.scopeMetrics.flatMap((scope) =>
      scope.metrics.flatMap((metric) =>
        (metric.dataPoints as readonly DataPoint<unknown>[]).map((point) => ({ name: metric.descriptor.name, unit: metric.descriptor.unit, attributes: point.attributes, value: valueOf(point) })),
      ),
    );
  };
  /** The sum of an instrument's points whose attributes include `where`. */
  const total = async (name: string, where: Readonly<Record<string, unknown>> = {}): Promise<number> =>
    (await points())
      .filter((point) => point.name === name && Object.entries(where).every(([key, value]) => point.attributes[key] === value))
      .reduce((sum, point) => sum + point.value, 0);
  return { instrumentation, spans, points, total };
};

/** A log record as a capturing logger kept it. */
export interface LogRecord {
  readonly level: keyof Logger;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly message: string;
}

/** A pino-shaped logger that keeps every record. */
export const capturingLogger = (): Logger & { readonly records: LogRecord[] } => {
  const records: LogRecord[] = [];
  const at =
    (level: keyof Logger) =>
    (fields: Readonly<Record<string, unknown>>, message: string): void => {
      records.push({ level, fields, message });
    };
  return { records, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
};
