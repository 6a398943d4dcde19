//! A deterministic force-directed layout (Fruchterman and Reingold 1991) for the
//! network page: the same network always gets the same picture, computed on the
//! server so that the page shows a drawing before any script runs.
//!
//! Nodes start on a circle in the order given (by community, then weight, so that
//! communities start together); heavier edges pull harder.

/// Positions in 0…1000 × 0…1000 for `n` nodes joined by weighted `edges`.
pub fn layout(n: usize, edges: &[(usize, usize, f64)], iterations: usize) -> Vec<(f64, f64)> {
    if n == 0 {
        return Vec::new();
    }
    if n == 1 {
        return vec![(500.0, 500.0)];
    }
    let size = 1000.0;
    let k = (size * size / n as f64).sqrt() * 0.6;
    let mut pos: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            let a = i as f64 / n as f64 * std::f64::consts::TAU;
            (500.0 + 350.0 * a.cos(), 500.0 + 350.0 * a.sin())
        })
        .collect();
    let max_w = edges.iter().map(|e| e.2).fold(1.0, f64::max);
    let mut temp = size / 8.0;
    let cool = temp / (iterations.max(1) as f64 + 1.0);
    let mut disp = vec![(0.0f64, 0.0f64); n];
    for _ in 0..iterations {
        disp.iter_mut().for_each(|d| *d = (0.0, 0.0));
        for i in 0..n {
            for j in i + 1..n {
                let (dx, dy) = (pos[i].0 - pos[j].0, pos[i].1 - pos[j].1);
                let d2 = (dx * dx + dy * dy).max(0.01);
                let f = k * k / d2;
                disp[i].0 += dx * f;
                disp[i].1 += dy * f;
                disp[j].0 -= dx * f;
                disp[j].1 -= dy * f;
            }
        }
        for &(a, b, w) in edges {
            let (dx, dy) = (pos[a].0 - pos[b].0, pos[a].1 - pos[b].1);
            let d = (dx * dx + dy * dy).sqrt().max(0.1);
            let strength = 0.5 + (w / max_w).sqrt();
            let f = d * strength / k;
            disp[a].0 -= dx * f;
            disp[a].1 -= dy * f;
            disp[b].0 += dx * f;
            disp[b].1 += dy * f;
        }
        for i in 0..n {
            // A weak pull to the centre keeps unconnected nodes on the canvas.
            disp[i].0 += (500.0 - pos[i].0) * 0.05;
            disp[i].1 += (500.0 - pos[i].1) * 0.05;
            let len = (disp[i].0 * disp[i].0 + disp[i].1 * disp[i].1).sqrt().max(1e-9);
            let step = len.min(temp);
            pos[i].0 += disp[i].0 / len * step;
            pos[i].1 += disp[i].1 / len * step;
        }
        temp = (temp - cool).max(1.0);
    }
    // Fit into the square with a margin.
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(x, y) in &pos {
        x0 = x0.min(x);
        y0 = y0.min(y);
        x1 = x1.max(x);
        y1 = y1.max(y);
    }
    let scale = 900.0 / (x1 - x0).max(y1 - y0).max(1.0);
    pos.iter().map(|&(x, y)| (50.0 + (x - x0) * scale, 50.0 + (y - y0) * scale)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layout_is_deterministic_and_inside_the_canvas() {
        let edges = [(0, 1, 5.0), (1, 2, 1.0), (2, 0, 2.0), (3, 4, 1.0)];
        let a = layout(5, &edges, 100);
        let b = layout(5, &edges, 100);
        assert_eq!(a, b);
        for (x, y) in &a {
            assert!((0.0..=1000.0).contains(x) && (0.0..=1000.0).contains(y), "{x} {y}");
        }
        let d = |i: usize, j: usize| ((a[i].0 - a[j].0).powi(2) + (a[i].1 - a[j].1).powi(2)).sqrt();
        // Joined nodes end closer than unjoined ones.
        assert!(d(0, 1) < d(0, 4), "{a:?}");
    }
}
