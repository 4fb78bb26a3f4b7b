// A fault-injecting HTTP proxy between the AWS SDK and moto (issue 14 item 12): point
// AWS_ENDPOINT_URL at it and a share of S3 and DynamoDB requests is answered with the errors AWS
// sends under load (S3: 500 InternalError, 503 SlowDown; DynamoDB: 400 ThrottlingException,
// 400 ProvisionedThroughputExceededException, 500 InternalServerError) or the connection is
// dropped. Every other service (SQS, Step Functions, SNS, ECS) passes untouched.
//
// Transient by construction, so a test can require success:
// - a fault happens before the request is forwarded: moto never sees a faulted request, so no
//   fault leaves a half-done effect (a lost response after a write is a different experiment);
// - bounded: the same request (method, path and query, target, body) is never faulted twice in a
//   row, so the SDK's second attempt of any call goes through;
// - loopback only: it listens on 127.0.0.1 and forwards only to a loopback target.
// Decisions come from a seeded generator; which requests get faulted still depends on the order
// they arrive in, so tests assert outcomes and report the counts, never exact fault sequences.
import { createHash } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Service = 's3' | 'dynamodb';
export type Fault = 'InternalError' | 'SlowDown' | 'ThrottlingException' | 'ProvisionedThroughputExceededException' | 'InternalServerError' | 'drop';

const FAULTS: Record<Service, ReadonlyArray<Fault>> = {
  s3: ['InternalError', 'SlowDown', 'drop'],
  dynamodb: ['ThrottlingException', 'ProvisionedThroughputExceededException', 'InternalServerError', 'drop'],
};

export interface FaultCounts {
  /** Requests seen per service (faulted or not). */
  readonly requests: Record<Service | 'other', number>;
  /** Faults injected, by service and kind. */
  readonly faults: Record<Service, Partial<Record<Fault, number>>>;
}

export interface FaultProxy {
  /** `http://127.0.0.1:<port>`, for AWS_ENDPOINT_URL. */
  readonly url: string;
  /** Share of S3 and DynamoDB requests to fault from now on (0 turns faults off). */
  setRate(rate: number): void;
  counts(): FaultCounts;
  resetCounts(): void;
  close(): Promise<void>;
}

/** mulberry32: small, seeded, good enough to spread faults. */
const generator = (seed: number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** The service a SigV4-signed request is for, from its credential scope. */
export const serviceOf = (headers: IncomingMessage['headers']): Service | 'other' => {
  const scope = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(String(headers.authorization ?? ''))?.[1];
  return scope === 's3' || scope === 'dynamodb' ? scope : 'other';
};

const s3Error = (res: ServerResponse, method: string, status: number, code: string, message: string) => {
  res.writeHead(status, { 'content-type': 'application/xml', 'x-amz-request-id': 'fault-proxy' });
  res.end(method === 'HEAD' ? undefined : `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>fault-proxy</RequestId></Error>`);
};

const dynamoError = (res: ServerResponse, status: number, type: string, message: string) => {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'fault-proxy' });
  res.end(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message }));
};

const answer = (fault: Fault, req: IncomingMessage, res: ServerResponse): void => {
  const method = req.method ?? 'GET';
  switch (fault) {
    case 'drop':
      req.socket.destroy();
      return;
    case 'InternalError':
      return s3Error(res, method, 500, 'InternalError', 'We encountered an internal error. Please try again.');
    case 'SlowDown':
      return s3Error(res, method, 503, 'SlowDown', 'Please reduce your request rate.');
    case 'ThrottlingException':
      return dynamoError(res, 400, 'ThrottlingException', 'Rate of requests exceeds the allowed throughput.');
    case 'ProvisionedThroughputExceededException':
      return dynamoError(res, 400, 'ProvisionedThroughputExceededException', 'The level of configured provisioned throughput for the table was exceeded.');
    case 'InternalServerError':
      return dynamoError(res, 500, 'InternalServerError', 'Internal server error');
  }
};

const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

export const startFaultProxy = async (target: string, options: { seed?: number; rate?: number } = {}): Promise<FaultProxy> => {
  const to = new URL(target);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(to.hostname)) throw new Error(`fault proxy forwards to loopback only, not ${to.hostname}`);
  const random = generator(options.seed ?? 14);
  let rate = options.rate ?? 0;
  const fresh = (): FaultCounts => ({ requests: { s3: 0, dynamodb: 0, other: 0 }, faults: { s3: {}, dynamodb: {} } });
  let counts = fresh();
  /** Identities of requests whose last attempt was faulted: their next attempt goes through. */
  const faultedLast = new Set<string>();

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const headers = { ...req.headers, 'content-length': String(body.length) };
    delete headers['transfer-encoding'];
    const upstream = httpRequest({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => req.socket.destroy());
    upstream.end(body);
  };

  const server: Server = createServer((req, res) => {
    void readBody(req).then(
      (body) => {
        const service = serviceOf(req.headers);
        counts.requests[service]++;
        if (service === 'other' || rate <= 0) return forward(req, res, body);
        const identity = createHash('sha1')
          .update(`${req.method} ${req.url} ${String(req.headers['x-amz-target'] ?? '')}\n`)
          .update(body)
          .digest('hex');
        if (faultedLast.delete(identity) || random() >= rate) return forward(req, res, body);
        faultedLast.add(identity);
        const kinds = FAULTS[service];
        const fault = kinds[Math.floor(random() * kinds.length)]!;
        counts.faults[service][fault] = (counts.faults[service][fault] ?? 0) + 1;
        answer(fault, req, res);
      },
      () => req.socket.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setRate: (r) => {
      rate = r;
    },
    counts: () => structuredClone(counts),
    resetCounts: () => {
      counts = fresh();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

/** Total faults injected, over both services and every kind. */
export const totalFaults = (c: FaultCounts): number =>
  Object.values(c.faults).reduce((n, byKind) => n + Object.values(byKind).reduce((m, k) => m + (k ?? 0), 0), 0);
