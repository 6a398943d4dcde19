//! The cooperation network: states, historical polities, organisations and people as
//! nodes; an edge between two of them weighted by the number of events in which both
//! take part (in any role).
//!
//! Measures per node:
//! - `degree`: how many others it shares an event with;
//! - `weighted_degree`: the sum of its edge weights;
//! - `betweenness`: Brandes' algorithm on shortest paths where an edge of weight `w`
//!   has length `1/w` (a strong tie is a short path), normalised like networkx's
//!   `betweenness_centrality(G, weight="distance", normalized=True)` — raw counts
//!   over ordered pairs times `1/((n-1)(n-2))`. Path lengths within a relative 1e-10
//!   count as equal;
//! - `community`: Louvain modularity optimisation (Blondel et al. 2008), made
//!   deterministic: nodes are visited in id order, a node moves only for a strictly
//!   larger gain, ties go to the lowest community number. Communities are numbered
//!   from 0 by size, largest first (ties by their first node's id).
use crate::{Facts, Filter};
use keruen_model::EntityKind;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Which nodes to keep and which events to count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NetworkOptions {
    /// Which events count.
    pub filter: Filter,
    /// Kinds of entity that become nodes.
    pub kinds: Vec<EntityKind>,
    /// Drop edges lighter than this (1 keeps all).
    pub min_weight: u64,
}

impl Default for NetworkOptions {
    fn default() -> Self {
        NetworkOptions {
            filter: Filter::default(),
            kinds: vec![
                EntityKind::Country,
                EntityKind::Polity,
                EntityKind::Organization,
                EntityKind::Person,
            ],
            min_weight: 1,
        }
    }
}

/// A node with its measures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Node {
    /// Entity id.
    pub id: String,
    /// Its kind.
    pub kind: EntityKind,
    /// Events it takes part in.
    pub events: u64,
    /// Neighbours.
    pub degree: usize,
    /// Sum of the weights of its edges.
    pub weighted_degree: u64,
    /// Normalised weighted betweenness (see the module documentation).
    pub betweenness: f64,
    /// Its community (0 is the largest).
    pub community: usize,
}

/// An undirected edge; `source` sorts before `target`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edge {
    /// One end (entity id).
    pub source: String,
    /// The other end.
    pub target: String,
    /// Events both take part in.
    pub weight: u64,
}

/// The network and its measures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Network {
    /// Nodes sorted by id.
    pub nodes: Vec<Node>,
    /// Edges sorted by source, then target.
    pub edges: Vec<Edge>,
    /// How many communities.
    pub communities: usize,
    /// Newman–Girvan modularity of the communities (weighted, resolution 1).
    pub modularity: f64,
}

impl Network {
    /// The node with this id.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.binary_search_by(|n| n.id.as_str().cmp(id)).ok().map(|i| &self.nodes[i])
    }

    /// The weight of the edge between two nodes (0 if none).
    pub fn weight(&self, a: &str, b: &str) -> u64 {
        let (s, t) = if a <= b { (a, b) } else { (b, a) };
        self.edges.iter().find(|e| e.source == s && e.target == t).map_or(0, |e| e.weight)
    }
}

/// Builds the network of the facts that pass the options, with its measures.
pub fn network(facts: &Facts, options: &NetworkOptions) -> Network {
    let keep: Vec<bool> = (0..facts.entity_count() as u32)
        .map(|ix| facts.kind(ix).is_some_and(|k| options.kinds.contains(&k)))
        .collect();
    let mut events: FxHashMap<u32, u64> = FxHashMap::default();
    let mut pairs: FxHashMap<(u32, u32), u64> = FxHashMap::default();
    let mut here: Vec<u32> = Vec::with_capacity(16);
    for (_, f) in facts.iter() {
        if !options.filter.accepts(f) {
            continue;
        }
        here.clear();
        here.extend(facts.members(f).iter().map(|m| m.entity).filter(|&e| keep[e as usize]));
        for (i, &a) in here.iter().enumerate() {
            *events.entry(a).or_default() += 1;
            for &b in &here[i + 1..] {
                *pairs.entry((a.min(b), a.max(b))).or_default() += 1;
            }
        }
    }
    // Dense node numbers in id order.
    let mut ids: Vec<u32> = events.keys().copied().collect();
    ids.sort_by(|&a, &b| facts.entity(a).cmp(facts.entity(b)));
    let dense: FxHashMap<u32, usize> = ids.iter().enumerate().map(|(i, &e)| (e, i)).collect();
    let n = ids.len();
    let mut edges: Vec<(usize, usize, u64)> = pairs
        .into_iter()
        .filter(|&(_, w)| w >= options.min_weight.max(1))
        .map(|((a, b), w)| {
            let (x, y) = (dense[&a], dense[&b]);
            (x.min(y), x.max(y), w)
        })
        .collect();
    edges.sort_unstable();
    let mut adj: Vec<Vec<(usize, u64)>> = vec![Vec::new(); n];
    for &(a, b, w) in &edges {
        adj[a].push((b, w));
        adj[b].push((a, w));
    }
    let betweenness = betweenness(&adj);
    let (community, communities) = louvain(&adj);
    let modularity = modularity(&adj, &community);
    let nodes = ids
        .iter()
        .enumerate()
        .map(|(i, &e)| Node {
            id: facts.entity(e).to_string(),
            kind: facts.kind(e).expect("kept nodes have a kind"),
            events: events[&e],
            degree: adj[i].len(),
            weighted_degree: adj[i].iter().map(|&(_, w)| w).sum(),
            betweenness: betweenness[i],
            community: community[i],
        })
        .collect();
    Network {
        nodes,
        edges: edges
            .into_iter()
            .map(|(a, b, weight)| Edge {
                source: facts.entity(ids[a]).to_string(),
                target: facts.entity(ids[b]).to_string(),
                weight,
            })
            .collect(),
        communities,
        modularity,
    }
}

/// A heap entry ordered so that the smallest distance pops first (then lowest node).
#[derive(PartialEq)]
struct Near(f64, usize);
impl Eq for Near {}
impl Ord for Near {
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.total_cmp(&self.0).then_with(|| other.1.cmp(&self.1))
    }
}
impl PartialOrd for Near {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

fn same_length(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-10 * a.max(b)
}

/// Brandes (2001) with Dijkstra; edge length `1/weight`; normalised as networkx does.
pub(crate) fn betweenness(adj: &[Vec<(usize, u64)>]) -> Vec<f64> {
    let n = adj.len();
    let mut cb = vec![0.0f64; n];
    let mut dist = vec![f64::INFINITY; n];
    let mut sigma = vec![0.0f64; n];
    let mut delta = vec![0.0f64; n];
    let mut done = vec![false; n];
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut order: Vec<usize> = Vec::with_capacity(n);
    let mut heap = BinaryHeap::new();
    for s in 0..n {
        for v in 0..n {
            dist[v] = f64::INFINITY;
            sigma[v] = 0.0;
            delta[v] = 0.0;
            done[v] = false;
            preds[v].clear();
        }
        order.clear();
        dist[s] = 0.0;
        sigma[s] = 1.0;
        heap.push(Near(0.0, s));
        while let Some(Near(d, v)) = heap.pop() {
            if done[v] || d > dist[v] {
                continue;
            }
            done[v] = true;
            order.push(v);
            for &(w, weight) in &adj[v] {
                if done[w] {
                    continue;
                }
                let nd = d + 1.0 / weight as f64;
                if dist[w].is_infinite() || (nd < dist[w] && !same_length(nd, dist[w])) {
                    dist[w] = nd;
                    sigma[w] = sigma[v];
                    preds[w].clear();
                    preds[w].push(v);
                    heap.push(Near(nd, w));
                } else if same_length(nd, dist[w]) {
                    sigma[w] += sigma[v];
                    preds[w].push(v);
                }
            }
        }
        for &w in order.iter().rev() {
            for &v in &preds[w] {
                delta[v] += sigma[v] / sigma[w] * (1.0 + delta[w]);
            }
            if w != s {
                cb[w] += delta[w];
            }
        }
    }
    if n > 2 {
        let scale = 1.0 / ((n - 1) as f64 * (n - 2) as f64);
        cb.iter_mut().for_each(|x| *x *= scale);
    }
    cb
}

/// Louvain communities: returns each node's community (numbered by size) and the
/// number of communities.
pub(crate) fn louvain(adj: &[Vec<(usize, u64)>]) -> (Vec<usize>, usize) {
    let n = adj.len();
    // The current (aggregated) graph, with self-loops; weights as f64.
    let mut graph: Vec<Vec<(usize, f64)>> =
        adj.iter().map(|l| l.iter().map(|&(j, w)| (j, w as f64)).collect()).collect();
    // Community of every original node.
    let mut membership: Vec<usize> = (0..n).collect();
    loop {
        let (assign, moved) = one_level(&graph);
        if !moved {
            break;
        }
        // Renumber communities densely in order of first appearance.
        let mut renum: Vec<usize> = vec![usize::MAX; graph.len()];
        let mut next = 0;
        for &c in &assign {
            if renum[c] == usize::MAX {
                renum[c] = next;
                next += 1;
            }
        }
        for m in membership.iter_mut() {
            *m = renum[assign[*m]];
        }
        let mut agg: Vec<FxHashMap<usize, f64>> = vec![FxHashMap::default(); next];
        for (i, list) in graph.iter().enumerate() {
            let ci = renum[assign[i]];
            for &(j, w) in list {
                *agg[ci].entry(renum[assign[j]]).or_default() += w;
            }
        }
        graph = agg
            .into_iter()
            .map(|m| {
                let mut l: Vec<(usize, f64)> = m.into_iter().collect();
                l.sort_by_key(|&(j, _)| j);
                l
            })
            .collect();
        if next == 1 {
            break;
        }
    }
    // Number by size, largest first; ties by the first (lowest id) node.
    let k = membership.iter().copied().max().map_or(0, |m| m + 1);
    let mut size = vec![0usize; k];
    let mut first = vec![usize::MAX; k];
    for (i, &c) in membership.iter().enumerate() {
        size[c] += 1;
        first[c] = first[c].min(i);
    }
    let mut by_size: Vec<usize> = (0..k).collect();
    by_size.sort_by_key(|&c| (std::cmp::Reverse(size[c]), first[c]));
    let mut rank = vec![0; k];
    for (r, &c) in by_size.iter().enumerate() {
        rank[c] = r;
    }
    (membership.into_iter().map(|c| rank[c]).collect(), k)
}

/// One level of Louvain local moves; returns each node's community and whether any
/// node moved.
fn one_level(graph: &[Vec<(usize, f64)>]) -> (Vec<usize>, bool) {
    let n = graph.len();
    let k: Vec<f64> = graph.iter().map(|l| l.iter().map(|&(_, w)| w).sum()).collect();
    let two_m: f64 = k.iter().sum();
    let mut comm: Vec<usize> = (0..n).collect();
    if two_m == 0.0 {
        return (comm, false);
    }
    let mut tot = k.clone();
    let mut links: FxHashMap<usize, f64> = FxHashMap::default();
    let mut any = false;
    loop {
        let mut moved = false;
        for i in 0..n {
            let old = comm[i];
            tot[old] -= k[i];
            links.clear();
            links.insert(old, 0.0);
            for &(j, w) in &graph[i] {
                if j != i {
                    *links.entry(comm[j]).or_default() += w;
                }
            }
            let gain = |c: usize, l: f64| l - tot[c] * k[i] / two_m;
            let mut best = old;
            let mut best_gain = gain(old, links[&old]);
            let mut candidates: Vec<(usize, f64)> = links.iter().map(|(&c, &l)| (c, l)).collect();
            candidates.sort_by_key(|&(c, _)| c);
            for (c, l) in candidates {
                let g = gain(c, l);
                if g > best_gain + 1e-12 {
                    best = c;
                    best_gain = g;
                }
            }
            tot[best] += k[i];
            if best != old {
                comm[i] = best;
                moved = true;
                any = true;
            }
        }
        if !moved {
            break;
        }
    }
    (comm, any)
}

/// Weighted modularity with resolution 1: Σ_c L_c/m − (d_c/2m)².
pub(crate) fn modularity(adj: &[Vec<(usize, u64)>], community: &[usize]) -> f64 {
    let k = community.iter().copied().max().map_or(0, |m| m + 1);
    let mut inside = vec![0.0f64; k];
    let mut degree = vec![0.0f64; k];
    let mut m = 0.0;
    for (i, list) in adj.iter().enumerate() {
        for &(j, w) in list {
            let w = w as f64;
            degree[community[i]] += w;
            if i < j {
                m += w;
                if community[i] == community[j] {
                    inside[community[i]] += w;
                }
            }
        }
    }
    if m == 0.0 {
        return 0.0;
    }
    (0..k).map(|c| inside[c] / m - (degree[c] / (2.0 * m)).powi(2)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use keruen_model::{Event, EventType, Participant, Role};

    fn graph(n: usize, edges: &[(usize, usize, u64)]) -> Vec<Vec<(usize, u64)>> {
        let mut adj = vec![Vec::new(); n];
        for &(a, b, w) in edges {
            adj[a].push((b, w));
            adj[b].push((a, w));
        }
        adj
    }

    #[test]
    fn betweenness_of_a_path_is_the_middle() {
        // 0 — 1 — 2: node 1 lies on the only path between 0 and 2.
        let b = betweenness(&graph(3, &[(0, 1, 1), (1, 2, 1)]));
        assert_eq!(b, vec![0.0, 1.0, 0.0]);
    }

    #[test]
    fn strong_ties_are_short_paths() {
        // 0 —(4)— 1 —(4)— 2 and a weak direct tie 0 —(1)— 2: the path through 1 has
        // length 0.5 < 1, so 1 still lies between 0 and 2.
        let b = betweenness(&graph(3, &[(0, 1, 4), (1, 2, 4), (0, 2, 1)]));
        assert_eq!(b[1], 1.0);
        // With a strong direct tie it does not.
        let b = betweenness(&graph(3, &[(0, 1, 4), (1, 2, 4), (0, 2, 8)]));
        assert_eq!(b[1], 0.0);
    }

    #[test]
    fn equal_paths_share_the_credit() {
        // A square 0-1-2-3-0: between 0 and 2 there are two shortest paths.
        let b = betweenness(&graph(4, &[(0, 1, 1), (1, 2, 1), (2, 3, 1), (3, 0, 1)]));
        // Each node: one pair of opposite nodes, half the paths, both directions,
        // scaled by 1/((n-1)(n-2)) = 1/6.
        for x in b {
            assert!((x - 1.0 / 6.0).abs() < 1e-12, "{x}");
        }
    }

    #[test]
    fn louvain_finds_two_cliques_joined_by_one_edge() {
        let mut e = Vec::new();
        for (a, b) in [(0, 1), (0, 2), (1, 2), (3, 4), (3, 5), (4, 5)] {
            e.push((a, b, 3));
        }
        e.push((2, 3, 1));
        let adj = graph(6, &e);
        let (c, k) = louvain(&adj);
        assert_eq!(k, 2);
        assert_eq!(c[0], c[1]);
        assert_eq!(c[1], c[2]);
        assert_eq!(c[3], c[4]);
        assert_ne!(c[0], c[3]);
        let q = modularity(&adj, &c);
        // L = 19: each clique has 9 inside and degree 19; Q = 2·(9/19 − (19/38)²).
        assert!((q - 2.0 * (9.0 / 19.0 - 0.25)).abs() < 1e-12, "{q}");
    }

    #[test]
    fn the_network_counts_shared_events() {
        let mut facts = Facts::new();
        let parts =
            [vec!["KZ", "UZ", "org:turksoy"], vec!["KZ", "UZ"], vec!["KZ", "person:abai", "place:almaty"]];
        for (i, p) in parts.iter().enumerate() {
            let mut e = Event::new(format!("e{i}"), EventType::Festival, None);
            e.participants = p.iter().map(|x| Participant::new(*x, Role::Participant)).collect();
            facts.push(&e);
        }
        let net = network(&facts, &NetworkOptions::default());
        let ids: Vec<&str> = net.nodes.iter().map(|n| n.id.as_str()).collect();
        // Places are not nodes.
        assert_eq!(ids, ["KZ", "UZ", "org:turksoy", "person:abai"]);
        assert_eq!(net.weight("UZ", "KZ"), 2);
        assert_eq!(net.weight("KZ", "person:abai"), 1);
        assert_eq!(net.weight("UZ", "person:abai"), 0);
        let kz = net.node("KZ").unwrap();
        assert_eq!((kz.events, kz.degree, kz.weighted_degree), (3, 3, 4));
        assert!(kz.betweenness > 0.0);
        assert_eq!(net.node("person:abai").unwrap().betweenness, 0.0);
    }
}
