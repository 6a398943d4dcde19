//! `keruen chart matrix|timeline|network --out FILE.svg`: charts that read without
//! explanation — a title saying what is counted and over which years, labelled axes,
//! a legend, and names in the chosen language.
//!
//! The SVG is written by hand: a few shapes and text. A `.png` is that SVG rasterised
//! by resvg at twice its size, with the machine's fonts (DejaVu Sans, which Debian's
//! `fonts-dejavu-core` installs, else any sans-serif font it finds); without any font
//! keruen says so rather than draw a chart without words.
use crate::cli::Cli;
use crate::commands::analysis::{FilterArgs, Names, country_code, load_facts, scope};
use crate::commands::with_output;
use crate::db;
use anyhow::{Result, bail};
use clap::{Args, ValueEnum};
use keruen_analysis::matrix::matrix;
use keruen_analysis::network::{NetworkOptions, network};
use keruen_analysis::series::series;
use keruen_analysis::{Facts, Filter};
use std::fmt::Write as _;
use std::path::PathBuf;

/// Which chart.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartKind {
    /// A heat map of events between pairs of states.
    Matrix,
    /// Events per year: per state, or per type for one state (--country).
    Timeline,
    /// The cooperation network, nodes grouped by community.
    Network,
}

/// Options of `chart`.
#[derive(Args, Debug)]
pub struct ChartArgs {
    /// The chart.
    #[arg(value_enum)]
    pub kind: ChartKind,
    /// The file to write: FILE.svg, or FILE.png (drawn at twice the size).
    #[arg(long, short, value_name = "FILE")]
    pub out: PathBuf,
    /// Language of titles and names: en or ru.
    #[arg(long, default_value = "en", value_name = "LANG")]
    pub lang: String,
    /// Timeline of one state (ISO code), by event type.
    #[arg(long, value_name = "CC")]
    pub country: Option<String>,
    /// How many states (matrix, timeline) or nodes (network) to draw, the most active
    /// first.
    #[arg(long)]
    pub top: Option<usize>,
    /// Draw candidate events too, not only those a curator accepted.
    #[arg(long)]
    pub include_candidates: bool,
    #[command(flatten)]
    pub filter: FilterArgs,
}

/// Ten distinct colours (Tableau 10), for lines and communities.
const COLOURS: [&str; 10] = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
    "#bab0ac",
];

/// Light to dark blue, for counts.
const BLUES: [&str; 6] = ["#f7fbff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"];

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// A small SVG writer.
struct Svg {
    body: String,
    width: f64,
    height: f64,
}

impl Svg {
    fn new(width: f64, height: f64, title: &str) -> Svg {
        let mut s = Svg { body: String::new(), width, height };
        s.rect(0.0, 0.0, width, height, "#ffffff", None);
        s.text(width / 2.0, 30.0, title, 18.0, "middle", "bold", "#222");
        s
    }
    fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &str, stroke: Option<&str>) {
        let stroke = stroke.map(|s| format!(" stroke=\"{s}\"")).unwrap_or_default();
        let _ = writeln!(
            self.body,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"{fill}\"{stroke}/>"
        );
    }
    #[allow(clippy::too_many_arguments)]
    fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, stroke: &str, width: f64, opacity: f64) {
        let _ = writeln!(
            self.body,
            "<line x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\" stroke=\"{stroke}\" stroke-width=\"{width:.2}\" stroke-opacity=\"{opacity:.2}\"/>"
        );
    }
    #[allow(clippy::too_many_arguments)]
    fn text(&mut self, x: f64, y: f64, text: &str, size: f64, anchor: &str, weight: &str, fill: &str) {
        let _ = writeln!(
            self.body,
            "<text x=\"{x:.1}\" y=\"{y:.1}\" font-size=\"{size}\" text-anchor=\"{anchor}\" font-weight=\"{weight}\" fill=\"{fill}\">{}</text>",
            esc(text)
        );
    }
    fn rotated(&mut self, x: f64, y: f64, text: &str, size: f64, angle: f64, anchor: &str) {
        let _ = writeln!(
            self.body,
            "<text x=\"{x:.1}\" y=\"{y:.1}\" font-size=\"{size}\" text-anchor=\"{anchor}\" fill=\"#222\" transform=\"rotate({angle} {x:.1} {y:.1})\">{}</text>",
            esc(text)
        );
    }
    fn circle(&mut self, x: f64, y: f64, r: f64, fill: &str, tip: &str) {
        let _ = writeln!(
            self.body,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r:.1}\" fill=\"{fill}\" stroke=\"#fff\" stroke-width=\"1\"><title>{}</title></circle>",
            esc(tip)
        );
    }
    fn polyline(&mut self, points: &[(f64, f64)], stroke: &str) {
        let pts: Vec<String> = points.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
        let _ = writeln!(
            self.body,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"2\"/>",
            pts.join(" ")
        );
    }
    fn finish(self, title: &str) -> String {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"DejaVu Sans, Arial, sans-serif\">\n<title>{}</title>\n{}</svg>\n",
            esc(title),
            self.body,
            w = self.width,
            h = self.height
        )
    }
}

/// Words in English or Russian.
struct Words {
    ru: bool,
}

impl Words {
    fn w(&self, en: &'static str, ru: &'static str) -> &'static str {
        if self.ru { ru } else { en }
    }
}

/// "1991–2024", the years the chart covers, from the filter or the data.
fn span(filter: &Filter, years: impl Iterator<Item = i32>) -> String {
    let (mut lo, mut hi) = (filter.from, filter.to);
    for y in years {
        lo = Some(lo.map_or(y, |l: i32| l.min(y)));
        hi = Some(hi.map_or(y, |h: i32| h.max(y)));
    }
    match (lo, hi) {
        (Some(a), Some(b)) if a == b => format!(", {a}"),
        (Some(a), Some(b)) => format!(", {a}–{b}"),
        _ => String::new(),
    }
}

fn type_note(filter: &Filter) -> String {
    if filter.types.is_empty() {
        String::new()
    } else {
        let t: Vec<&str> = filter.types.iter().map(|t| t.as_str()).collect();
        format!(" ({})", t.join(", "))
    }
}

/// Up to about eight round tick values from 0 to at least `max`.
fn ticks(max: u64) -> Vec<u64> {
    let max = max.max(1);
    let raw = max as f64 / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * mag).find(|s| *s >= raw).unwrap_or(10.0 * mag);
    let step = (step.round() as u64).max(1);
    (0..).map(|i| i * step).take_while(|v| *v < max + step).collect()
}

fn matrix_chart(facts: &Facts, filter: &Filter, names: &Names, top: usize, w: &Words) -> String {
    let m = matrix(facts, filter, false);
    let mut totals: std::collections::HashMap<&str, u64> = Default::default();
    for c in &m.cells {
        *totals.entry(&c.a).or_default() += c.count;
        *totals.entry(&c.b).or_default() += c.count;
    }
    let mut states: Vec<&str> = totals.keys().copied().collect();
    states.sort_by(|a, b| totals[b].cmp(&totals[a]).then_with(|| a.cmp(b)));
    states.truncate(top);
    states.sort_by_key(|s| names.name(s));
    let n = states.len();
    let count = |a: &str, b: &str| -> u64 {
        m.cells.iter().filter(|c| (c.a == a && c.b == b) || (c.a == b && c.b == a)).map(|c| c.count).sum()
    };
    let grid: Vec<Vec<u64>> = states
        .iter()
        .map(|a| states.iter().map(|b| if a == b { 0 } else { count(a, b) }).collect())
        .collect();
    let max = grid.iter().flatten().copied().max().unwrap_or(0);
    let label_w = 190.0;
    let cell = if n > 15 { 32.0 } else { 44.0 };
    let top_y = 80.0 + label_w * 0.75;
    let width = label_w + cell * n as f64 + 220.0;
    let height = top_y + cell * n as f64 + 90.0;
    let title = format!(
        "{}{}{}",
        w.w("Cooperation events between pairs of states", "События сотрудничества между парами государств"),
        type_note(filter),
        span(filter, m.cells.iter().filter_map(|c| c.year))
    );
    let mut svg = Svg::new(width, height, &title);
    svg.text(
        width / 2.0,
        52.0,
        w.w(
            "Each cell: events in which both states took part (any role); darker = more",
            "В клетке: число событий с участием обоих государств; темнее — больше",
        ),
        12.0,
        "middle",
        "normal",
        "#555",
    );
    // Five bins of counts, (t[b-1], t[b]] for b = 1..=5; bin 0 is zero.
    let t: Vec<u64> = (0..BLUES.len() as u64).map(|k| (k * max).div_ceil(BLUES.len() as u64 - 1)).collect();
    let bin = |v: u64| -> usize {
        if v == 0 { 0 } else { (1..BLUES.len()).find(|&b| v <= t[b]).unwrap_or(BLUES.len() - 1) }
    };
    for (i, a) in states.iter().enumerate() {
        let y = top_y + cell * i as f64;
        svg.text(label_w - 8.0, y + cell / 2.0 + 4.0, &names.name(a), 12.0, "end", "normal", "#222");
        let x = label_w + cell * i as f64 + cell / 2.0;
        svg.rotated(x + 4.0, top_y - 8.0, &names.name(a), 12.0, -45.0, "start");
        for (j, v) in grid[i].iter().enumerate() {
            let x = label_w + cell * j as f64;
            let fill = if i == j { "#eeeeee" } else { BLUES[bin(*v)] };
            svg.rect(x, y, cell, cell, fill, Some("#ffffff"));
            if i != j && *v > 0 {
                let ink = if bin(*v) >= 4 { "#ffffff" } else { "#222222" };
                svg.text(x + cell / 2.0, y + cell / 2.0 + 4.0, &v.to_string(), 11.0, "middle", "normal", ink);
            }
        }
    }
    // Legend: the colour bins with their ranges.
    let lx = label_w + cell * n as f64 + 30.0;
    svg.text(lx, top_y + 4.0, w.w("Events", "События"), 13.0, "start", "bold", "#222");
    let mut row = 0;
    for b in 1..BLUES.len() {
        let (lo, hi) = (t[b - 1] + 1, t[b]);
        if lo > hi {
            continue;
        }
        let y = top_y + 16.0 + 24.0 * row as f64;
        row += 1;
        svg.rect(lx, y, 20.0, 18.0, BLUES[b], Some("#999999"));
        let range = if lo == hi { lo.to_string() } else { format!("{lo}–{hi}") };
        svg.text(lx + 28.0, y + 13.0, &range, 12.0, "start", "normal", "#222");
    }
    let y = top_y + 16.0 + 24.0 * row as f64;
    svg.rect(lx, y, 20.0, 18.0, BLUES[0], Some("#999999"));
    svg.text(lx + 28.0, y + 13.0, "0", 12.0, "start", "normal", "#222");
    let total: u64 = m.cells.iter().map(|c| c.count).sum();
    svg.text(
        label_w,
        height - 30.0,
        &format!(
            "{}: {} · {}",
            w.w("Pair-events counted", "Учтено пар-событий"),
            total,
            w.w("source: keruen, accepted facts", "источник: keruen, принятые факты")
        ),
        11.0,
        "start",
        "normal",
        "#555",
    );
    svg.finish(&title)
}

fn timeline_chart(
    facts: &Facts,
    filter: &Filter,
    names: &Names,
    country: Option<&str>,
    top: usize,
    w: &Words,
) -> Result<String> {
    let s = series(facts, filter, country)?;
    let rows: Vec<_> = s.rows.iter().take(top).collect();
    let label = |l: &str| if country.is_some() { l.replace('_', " ") } else { names.name(l) };
    let subject = match country {
        Some(c) => {
            format!("{}: {}", names.name(c), w.w("events per year by type", "события по годам и типам"))
        }
        None => w
            .w("Cooperation events per year, by state", "События сотрудничества по годам и государствам")
            .into(),
    };
    let title = format!("{subject}{}{}", type_note(filter), span(filter, s.years.iter().copied()));
    let (left, right, top_y, bottom) = (70.0, 230.0, 70.0, 70.0);
    let plot_w = (s.years.len().max(2) as f64 * 26.0).clamp(480.0, 1100.0);
    let plot_h = 380.0;
    let (width, height) = (left + plot_w + right, top_y + plot_h + bottom);
    let mut svg = Svg::new(width, height, &title);
    let max = rows.iter().flat_map(|r| r.counts.iter()).copied().max().unwrap_or(0);
    let ticks = ticks(max);
    let ymax = *ticks.last().unwrap_or(&1) as f64;
    let n = s.years.len();
    let x_of = |i: usize| left + if n <= 1 { plot_w / 2.0 } else { plot_w * i as f64 / (n - 1) as f64 };
    let y_of = |v: u64| top_y + plot_h - plot_h * v as f64 / ymax.max(1.0);
    for t in &ticks {
        let y = y_of(*t);
        svg.line(left, y, left + plot_w, y, "#dddddd", 1.0, 1.0);
        svg.text(left - 8.0, y + 4.0, &t.to_string(), 11.0, "end", "normal", "#444");
    }
    svg.line(left, top_y + plot_h, left + plot_w, top_y + plot_h, "#444444", 1.0, 1.0);
    svg.line(left, top_y, left, top_y + plot_h, "#444444", 1.0, 1.0);
    let every = n.div_ceil(20).max(1);
    for (i, y) in s.years.iter().enumerate() {
        if i % every == 0 || i + 1 == n {
            svg.line(x_of(i), top_y + plot_h, x_of(i), top_y + plot_h + 5.0, "#444444", 1.0, 1.0);
            svg.rotated(x_of(i) + 4.0, top_y + plot_h + 18.0, &y.to_string(), 11.0, 45.0, "start");
        }
    }
    svg.text(left + plot_w / 2.0, height - 12.0, w.w("Year", "Год"), 13.0, "middle", "bold", "#222");
    svg.rotated(20.0, top_y + plot_h / 2.0, w.w("Events", "События"), 13.0, -90.0, "middle");
    for (k, r) in rows.iter().enumerate() {
        let colour = COLOURS[k % COLOURS.len()];
        let pts: Vec<(f64, f64)> = r.counts.iter().enumerate().map(|(i, v)| (x_of(i), y_of(*v))).collect();
        svg.polyline(&pts, colour);
        let ly = top_y + 10.0 + 22.0 * k as f64;
        let lx = left + plot_w + 24.0;
        svg.line(lx, ly, lx + 22.0, ly, colour, 3.0, 1.0);
        svg.text(
            lx + 30.0,
            ly + 4.0,
            &format!("{} ({})", label(&r.label), r.total),
            12.0,
            "start",
            "normal",
            "#222",
        );
    }
    if rows.is_empty() {
        svg.text(
            left + plot_w / 2.0,
            top_y + plot_h / 2.0,
            w.w("No events", "Нет событий"),
            16.0,
            "middle",
            "normal",
            "#888",
        );
    }
    Ok(svg.finish(&title))
}

fn network_chart(facts: &Facts, filter: &Filter, names: &Names, top: usize, w: &Words) -> String {
    let net = network(facts, &NetworkOptions { filter: filter.clone(), ..Default::default() });
    let mut nodes: Vec<&keruen_analysis::network::Node> = net.nodes.iter().collect();
    nodes.sort_by(|a, b| b.weighted_degree.cmp(&a.weighted_degree).then_with(|| a.id.cmp(&b.id)));
    nodes.truncate(top);
    // Around a circle, grouped by community, strongest first within a group.
    nodes.sort_by(|a, b| {
        a.community.cmp(&b.community).then(b.weighted_degree.cmp(&a.weighted_degree)).then(a.id.cmp(&b.id))
    });
    let title = format!(
        "{}{}{}",
        w.w("Cooperation network", "Сеть сотрудничества"),
        type_note(filter),
        span(filter, std::iter::empty())
    );
    let (width, height) = (1280.0, 900.0);
    let (cx, cy, radius) = (560.0, 480.0, 300.0);
    let mut svg = Svg::new(width, height, &title);
    svg.text(
        width / 2.0,
        52.0,
        w.w(
            "Nodes: states, organisations, people; size = shared events; colour = community; line width = events together",
            "Узлы: государства, организации, люди; размер — число связей; цвет — сообщество; толщина линии — совместные события",
        ),
        12.0,
        "middle",
        "normal",
        "#555",
    );
    let pos: std::collections::HashMap<&str, (f64, f64, f64)> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let a =
                std::f64::consts::TAU * i as f64 / nodes.len().max(1) as f64 - std::f64::consts::FRAC_PI_2;
            (n.id.as_str(), (cx + radius * a.cos(), cy + radius * a.sin(), a))
        })
        .collect();
    let max_w = net
        .edges
        .iter()
        .filter(|e| pos.contains_key(e.source.as_str()) && pos.contains_key(e.target.as_str()))
        .map(|e| e.weight)
        .max()
        .unwrap_or(1);
    for e in &net.edges {
        let (Some(a), Some(b)) = (pos.get(e.source.as_str()), pos.get(e.target.as_str())) else { continue };
        let f = e.weight as f64 / max_w as f64;
        svg.line(a.0, a.1, b.0, b.1, "#555555", 0.5 + 6.0 * f, 0.15 + 0.5 * f);
    }
    let max_d = nodes.iter().map(|n| n.weighted_degree).max().unwrap_or(1).max(1);
    for n in &nodes {
        let (x, y, a) = pos[n.id.as_str()];
        let r = 5.0 + 15.0 * (n.weighted_degree as f64 / max_d as f64).sqrt();
        let colour = COLOURS[n.community % COLOURS.len()];
        let name = names.name(&n.id);
        svg.circle(x, y, r, colour, &format!("{name}: {} · {}", n.events, n.kind.as_str()));
        let (lx, ly) = (cx + (radius + r + 8.0) * a.cos(), cy + (radius + r + 8.0) * a.sin());
        let anchor = if a.cos() >= 0.0 { "start" } else { "end" };
        let short: String =
            if name.chars().count() > 28 { name.chars().take(27).chain(['…']).collect() } else { name };
        svg.text(lx, ly + 4.0, &short, 11.0, anchor, "normal", "#222");
    }
    let lx = 1060.0;
    svg.text(lx, 100.0, w.w("Communities", "Сообщества"), 13.0, "start", "bold", "#222");
    let shown: std::collections::BTreeSet<usize> = nodes.iter().map(|n| n.community).collect();
    for (k, c) in shown.iter().take(12).enumerate() {
        let y = 122.0 + 22.0 * k as f64;
        svg.circle(lx + 8.0, y - 4.0, 7.0, COLOURS[c % COLOURS.len()], "");
        let members = nodes.iter().filter(|n| n.community == *c).count();
        svg.text(
            lx + 22.0,
            y,
            &format!("{} {} ({members})", w.w("community", "сообщество"), c + 1),
            12.0,
            "start",
            "normal",
            "#222",
        );
    }
    svg.text(
        40.0,
        height - 20.0,
        &format!(
            "{} {} {} {}, {} {}, {} {:.3}",
            nodes.len(),
            w.w("of", "из"),
            net.nodes.len(),
            w.w("nodes shown", "узлов показано"),
            net.edges.len(),
            w.w("edges", "связей"),
            w.w("modularity", "модулярность"),
            net.modularity
        ),
        11.0,
        "start",
        "normal",
        "#555",
    );
    svg.finish(&title)
}

pub fn run(cli: &Cli, args: &ChartArgs) -> Result<()> {
    let ext = args.out.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    let png = match ext.as_str() {
        "svg" => false,
        "png" => true,
        _ => bail!("{}: name the file .svg or .png", args.out.display()),
    };
    let filter = args.filter.filter()?;
    let country = args.country.as_deref().map(country_code).transpose()?;
    if country.is_some() && args.kind != ChartKind::Timeline {
        bail!("--country applies to the timeline chart only");
    }
    let store = db::open(&cli.db)?;
    let names = Names::load(&*store, &args.lang)?;
    let facts = load_facts(&*store, &names, scope(args.include_candidates))?;
    let words = Words { ru: args.lang == "ru" };
    let svg = match args.kind {
        ChartKind::Matrix => matrix_chart(&facts, &filter, &names, args.top.unwrap_or(12), &words),
        ChartKind::Timeline => {
            timeline_chart(&facts, &filter, &names, country.as_deref(), args.top.unwrap_or(8), &words)?
        }
        ChartKind::Network => network_chart(&facts, &filter, &names, args.top.unwrap_or(40), &words),
    };
    let bytes = if png { rasterise(&svg)? } else { svg.into_bytes() };
    with_output(Some(&args.out), |w| {
        w.write_all(&bytes)?;
        Ok(())
    })?;
    if !cli.json {
        println!("wrote {}", args.out.display());
    }
    Ok(())
}

/// The chart as a PNG at twice the SVG's size, so that it stays sharp on a slide.
fn rasterise(svg: &str) -> Result<Vec<u8>> {
    use resvg::{tiny_skia, usvg};
    let mut options = usvg::Options::default();
    let fonts = options.fontdb_mut();
    fonts.load_system_fonts();
    if fonts.is_empty() {
        bail!(
            "no fonts found to draw the chart's text into a PNG: install some (Debian: apt-get install \
             fonts-dejavu-core), or write an .svg"
        );
    }
    fonts.set_sans_serif_family("DejaVu Sans");
    let tree = usvg::Tree::from_str(svg, &options)?;
    let scale = 2.0;
    let size =
        tree.size().to_int_size().scale_by(scale).ok_or_else(|| anyhow::anyhow!("the chart is empty"))?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).ok_or_else(|| {
        anyhow::anyhow!("the chart is too large to draw ({}×{})", size.width(), size.height())
    })?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    Ok(pixmap.encode_png()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_maximum() {
        assert_eq!(ticks(7), [0, 2, 4, 6, 8]);
        assert_eq!(ticks(100), [0, 20, 40, 60, 80, 100]);
        assert_eq!(ticks(0), [0, 1]);
        assert!(*ticks(1234).last().unwrap() >= 1234);
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(esc("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }
}
