// Who is on the other end of a request: the socket's address, or, when the socket is a proxy
// named in CASEBOOK_TRUST_PROXY, the right-most X-Forwarded-For hop that is not one of those
// proxies (every hop left of it can be written by the client). Also whether the browser came
// over TLS (the trusted proxy's X-Forwarded-Proto). Issue 9, findings 5 and 11.
import { BlockList, isIP } from 'node:net';
import type { Context } from 'hono';

interface ConnectionEnv {
  incoming?: { socket?: { remoteAddress?: string } };
  server?: { incoming?: { socket?: { remoteAddress?: string } } };
}

/** The peer address of the TCP connection (@hono/node-server's bindings); undefined in-process. */
export function socketAddress(c: Context): string | undefined {
  const env = c.env as ConnectionEnv | undefined;
  return (env?.server ?? env)?.incoming?.socket?.remoteAddress ?? undefined;
}

const parsed = new Map<string, BlockList>();

/** The trusted proxies: addresses or CIDR ranges, separated by commas or spaces. */
export function trustList(spec: string | undefined): BlockList | undefined {
  if (!spec?.trim()) return undefined;
  let list = parsed.get(spec);
  if (list) return list;
  list = new BlockList();
  for (const entry of spec.split(/[\s,]+/).filter(Boolean)) {
    const [address, bits] = entry.split('/');
    const type = isIP(address ?? '') === 6 ? 'ipv6' : 'ipv4';
    if (!isIP(address ?? '')) {
      console.error(`CASEBOOK_TRUST_PROXY: '${entry}' is not an address or CIDR range; ignored`);
      continue;
    }
    if (bits === undefined) list.addAddress(address!, type);
    else if (/^\d+$/.test(bits) && Number(bits) <= (type === 'ipv6' ? 128 : 32)) list.addSubnet(address!, Number(bits), type);
    else console.error(`CASEBOOK_TRUST_PROXY: '${entry}' is not an address or CIDR range; ignored`);
  }
  parsed.set(spec, list);
  return list;
}

/** '::ffff:192.0.2.1' → '192.0.2.1'; '[2001:db8::1]:443' and '192.0.2.1:80' lose the port. */
function plainAddress(raw: string): string | undefined {
  let text = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed) text = bracketed[1]!;
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(text)) text = text.split(':')[0]!;
  if (/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(text)) text = text.slice(7);
  return isIP(text) ? text : undefined;
}

function isTrusted(list: BlockList, address: string): boolean {
  return list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

function trustSpec(c: Context): string | undefined {
  const config = (c.get('services') as { config?: { trustProxy?: string } } | undefined)?.config;
  return config?.trustProxy ?? process.env.CASEBOOK_TRUST_PROXY;
}

/** Whether the request reached us from one of the proxies CASEBOOK_TRUST_PROXY names. */
export function fromTrustedProxy(c: Context): boolean {
  const list = trustList(trustSpec(c));
  const peer = plainAddress(socketAddress(c) ?? '');
  return Boolean(list && peer && isTrusted(list, peer));
}

/**
 * IPv6 clients are counted by their /64: one home or server gets a whole /64, and rotating
 * addresses inside it must not give fresh guesses.
 */
function rateKey(address: string): string {
  if (isIP(address) !== 6) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** The client address requests are counted by. */
export function clientAddress(c: Context): string {
  const peer = plainAddress(socketAddress(c) ?? '');
  if (!peer) return 'unknown';
  const list = trustList(trustSpec(c));
  if (!list || !isTrusted(list, peer)) return rateKey(peer);
  const hops = (c.req.header('x-forwarded-for') ?? '').split(',').map((hop) => hop.trim()).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = plainAddress(hops[i]!);
    // A hop that is not an address was written by the client (or is garbage): it is the client.
    if (!hop) return `hop:${hops[i]!.slice(0, 64)}`;
    if (!isTrusted(list, hop)) return rateKey(hop);
  }
  // Every hop is a trusted proxy (or there is none): the request started at a proxy.
  return rateKey(plainAddress(hops[0] ?? '') ?? peer);
}

/** Whether the browser's connection was TLS: our own, or the trusted proxy says so. */
export function cameOverTls(c: Context): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  if (!fromTrustedProxy(c)) return false;
  const proto = (c.req.header('x-forwarded-proto') ?? '').split(',')[0]?.trim().toLowerCase();
  return proto === 'https';
}
