import type { Node as YamlNode } from 'yaml';
import { mapEntries, mapGet, scalarString, sequenceItems, type YamlFile } from './documents.js';

export interface ComposeService {
  readonly file: YamlFile;
  readonly name: string;
  readonly line: number | undefined;
  readonly node: YamlNode | null;
  /** `image:` value, if any. */
  readonly image: string | undefined;
}

export function composeServices(file: YamlFile): ComposeService[] {
  const services = mapGet(file.document.contents, 'services');
  return mapEntries(services).map(([name, keyNode, node]) => ({
    file,
    name,
    line: file.lineOf(keyNode),
    node,
    image: scalarString(mapGet(node, 'image')),
  }));
}

/** One published port mapping, from short (`"127.0.0.1:5432:5432"`) or long (`{ target, published, host_ip }`) syntax. */
export interface PortMapping {
  readonly hostIp: string | undefined;
  /** Host port or range; undefined when Docker picks an ephemeral port. */
  readonly hostPort: string | undefined;
  readonly containerPort: string;
  readonly protocol: string;
  readonly line: number | undefined;
  readonly raw: string;
}

/** Parses Compose short syntax `[HOST_IP:][HOST:]CONTAINER[/PROTO]`, IPv6 hosts in brackets. */
export function parseShortPort(raw: string): Omit<PortMapping, 'line' | 'raw'> | undefined {
  let rest = raw.trim();
  let protocol = 'tcp';
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    protocol = rest.slice(slash + 1);
    rest = rest.slice(0, slash);
  }
  let hostIp: string | undefined;
  const ipv6 = /^\[([^\]]+)\]:(.*)$/.exec(rest);
  if (ipv6 !== null) {
    hostIp = ipv6[1];
    rest = ipv6[2] ?? '';
  }
  const parts = rest.split(':');
  if (hostIp === undefined && parts.length === 3) hostIp = parts.shift();
  if (parts.length === 1) return parts[0] === undefined || parts[0] === '' ? undefined : { hostIp, hostPort: undefined, containerPort: parts[0], protocol };
  if (parts.length === 2) return { hostIp, hostPort: parts[0] === '' ? undefined : parts[0], containerPort: parts[1] ?? '', protocol };
  return undefined;
}

export function servicePorts(service: ComposeService): PortMapping[] {
  const mappings: PortMapping[] = [];
  for (const item of sequenceItems(mapGet(service.node, 'ports'))) {
    const line = isYamlNode(item) ? service.file.lineOf(item) : undefined;
    const short = scalarString(item);
    if (short !== undefined) {
      const parsed = parseShortPort(short);
      if (parsed !== undefined) mappings.push({ ...parsed, line, raw: short });
      continue;
    }
    const target = scalarString(mapGet(item, 'target'));
    if (target === undefined) continue;
    mappings.push({
      hostIp: scalarString(mapGet(item, 'host_ip')),
      hostPort: scalarString(mapGet(item, 'published')),
      containerPort: target,
      protocol: scalarString(mapGet(item, 'protocol')) ?? 'tcp',
      line,
      raw: `${scalarString(mapGet(item, 'host_ip')) ?? ''}${scalarString(mapGet(item, 'published')) ?? ''}:${target}`,
    });
  }
  return mappings;
}

function isYamlNode(value: unknown): value is YamlNode {
  return typeof value === 'object' && value !== null && 'range' in value;
}

const LOOPBACK = /^(?:127\.\d+\.\d+\.\d+|::1|localhost)$/i;

export function isLoopback(hostIp: string | undefined): boolean {
  return hostIp !== undefined && LOOPBACK.test(hostIp);
}
