/**
 * @file Whether a new connection may be drawn, and if not, why: a layer feeding itself, a port
 * that does not exist, an input already fed, a loop, or values of the wrong kind (the dtype rule
 * of the target layer, asked of core/model). Shape mismatches are allowed: they become
 * diagnostics with fixes, which is more helpful than a refused drag.
 */
import { validateNetwork } from '../../core/model';
import type { Network } from '../../core/project/schema';
import { derivePorts } from '../canvas/layerPorts';
import { connect, type NewConnection } from './edits';

const nameOf = (network: Network, id: string): string => {
  const node = network.nodes.find((n) => n.id === id);
  return node ? (node.label ? `"${node.label}"` : `${node.type} "${node.id}"`) : `"${id}"`;
};

/** null when the connection is fine; otherwise one sentence saying why it is refused. */
export function connectionProblem(network: Network, c: NewConnection): string | null {
  const { source, target } = c;
  if (source.node === target.node) return `${nameOf(network, source.node)} cannot feed itself.`;
  const ports = derivePorts(network);
  const src = ports.get(source.node);
  const dst = ports.get(target.node);
  if (!src || !dst) return 'That layer no longer exists.';
  if (!src.outputs.includes(source.port)) return `${nameOf(network, source.node)} has no output "${source.port}".`;
  if (!dst.inputs.includes(target.port)) return `${nameOf(network, target.node)} has no input "${target.port}".`;
  const feeding = network.edges.find((e) => e.target.node === target.node && e.target.port === target.port);
  if (feeding) {
    const same = feeding.source.node === source.node && feeding.source.port === source.port;
    return same
      ? 'These ports are already connected.'
      : `Input "${target.port}" of ${nameOf(network, target.node)} is already fed by ${nameOf(network, feeding.source.node)}: delete that connection first, or combine both with Add or Concat.`;
  }
  if (reaches(network, target.node, source.node)) return `This connection would make a loop (${nameOf(network, target.node)} already feeds ${nameOf(network, source.node)}); networks flow one way.`;
  return dtypeProblem(network, c);
}

/** Is `to` reachable from `from` along the edges? */
function reaches(network: Network, from: string, to: string): boolean {
  const next = new Map<string, string[]>();
  for (const e of network.edges) next.set(e.source.node, [...(next.get(e.source.node) ?? []), e.target.node]);
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length) {
    const id = stack.pop() as string;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(next.get(id) ?? []));
  }
  return false;
}

/** A dtype error on the target that the new edge would introduce (float layers fed integer ids…). */
function dtypeProblem(network: Network, c: NewConnection): string | null {
  const before = new Set(validateNetwork(network).diagnostics.filter((d) => d.code === 'E_DTYPE' && d.nodeId === c.target.node).map((d) => d.message));
  const after = validateNetwork(connect(network, c)).diagnostics.find((d) => d.code === 'E_DTYPE' && d.nodeId === c.target.node && !before.has(d.message));
  return after ? after.message : null;
}
