/**
 * @file Groups: a named block made from a selection of nodes (project `groups`). It can be
 * collapsed into one node showing its external ports, expanded, renamed, dissolved, and copied
 * like any selection. A node belongs to at most one group.
 */
import type { Network, NodeGroup } from '../../core/project/schema';
import { freshId } from './ids';

export function groupNodes(network: Network, nodeIds: readonly string[], name: string): { network: Network; groupId: string } | null {
  const members = network.nodes.filter((n) => nodeIds.includes(n.id)).map((n) => n.id);
  if (members.length === 0) return null;
  const inGroup = new Set(members);
  // A node moves out of any group it was in; a group left empty disappears.
  const others = network.groups.map((g) => ({ ...g, nodeIds: g.nodeIds.filter((id) => !inGroup.has(id)) })).filter((g) => g.nodeIds.length > 0);
  const groupId = freshId(name || 'block', new Set(network.groups.map((g) => g.id)));
  const group: NodeGroup = { id: groupId, name: name.trim() || 'Block', nodeIds: members, collapsed: false };
  return { network: { ...network, groups: [...others, group] }, groupId };
}

export function ungroup(network: Network, groupId: string): Network {
  return { ...network, groups: network.groups.filter((g) => g.id !== groupId) };
}

export function setGroupCollapsed(network: Network, groupId: string, collapsed: boolean): Network {
  return { ...network, groups: network.groups.map((g) => (g.id === groupId ? { ...g, collapsed } : g)) };
}

export function renameGroup(network: Network, groupId: string, name: string): Network {
  return name.trim() ? { ...network, groups: network.groups.map((g) => (g.id === groupId ? { ...g, name: name.trim() } : g)) } : network;
}

/** The group a node is in, if any. */
export function groupOf(network: Network, nodeId: string): NodeGroup | undefined {
  return network.groups.find((g) => g.nodeIds.includes(nodeId));
}
