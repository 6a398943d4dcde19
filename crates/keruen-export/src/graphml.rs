//! GraphML (<http://graphml.graphdrawing.org/>) of the cooperation network, for
//! networkx, igraph, yEd and Gephi.
//!
//! Keys: node `label`, `kind`, `events`, `degree`, `weighted_degree`, `betweenness`,
//! `community`; edge `weight` (shared events) and `distance` (`1/weight`); graph
//! `modularity`. Node ids are entity ids; the graph is undirected.
use crate::{Result, xml_safe, xml_text};
use keruen_analysis::network::Network;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, Event as XmlEvent};
use std::io::Write;

/// Keys: (id, for, attr.name, attr.type).
const KEYS: [(&str, &str, &str, &str); 10] = [
    ("label", "node", "label", "string"),
    ("kind", "node", "kind", "string"),
    ("events", "node", "events", "long"),
    ("degree", "node", "degree", "int"),
    ("weighted_degree", "node", "weighted_degree", "long"),
    ("betweenness", "node", "betweenness", "double"),
    ("community", "node", "community", "int"),
    ("weight", "edge", "weight", "double"),
    ("distance", "edge", "distance", "double"),
    ("modularity", "graph", "modularity", "double"),
];

fn data<W: Write>(w: &mut Writer<W>, key: &str, value: &str) -> std::io::Result<()> {
    w.create_element("data").with_attribute(("key", key)).write_text_content(xml_text(value))?;
    Ok(())
}

/// Writes `net`; `label` gives the name of an entity id.
pub fn write<W: Write>(out: W, net: &Network, label: &dyn Fn(&str) -> String) -> Result<W> {
    let mut w = Writer::new_with_indent(out, b' ', 2);
    w.write_event(XmlEvent::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element("graphml")
        .with_attribute(("xmlns", "http://graphml.graphdrawing.org/xmlns"))
        .with_attribute(("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"))
        .with_attribute((
            "xsi:schemaLocation",
            "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd",
        ))
        .write_inner_content(|w| {
            for (id, on, name, ty) in KEYS {
                w.create_element("key")
                    .with_attribute(("id", id))
                    .with_attribute(("for", on))
                    .with_attribute(("attr.name", name))
                    .with_attribute(("attr.type", ty))
                    .write_empty()?;
            }
            w.create_element("graph")
                .with_attribute(("id", "keruen"))
                .with_attribute(("edgedefault", "undirected"))
                .write_inner_content(|w| {
                    data(w, "modularity", &net.modularity.to_string())?;
                    for n in &net.nodes {
                        w.create_element("node")
                            .with_attribute(("id", xml_safe(&n.id).as_ref()))
                            .write_inner_content(|w| {
                                data(w, "label", &label(&n.id))?;
                                data(w, "kind", n.kind.as_str())?;
                                data(w, "events", &n.events.to_string())?;
                                data(w, "degree", &n.degree.to_string())?;
                                data(w, "weighted_degree", &n.weighted_degree.to_string())?;
                                data(w, "betweenness", &n.betweenness.to_string())?;
                                data(w, "community", &n.community.to_string())?;
                                Ok(())
                            })?;
                    }
                    for (i, e) in net.edges.iter().enumerate() {
                        w.create_element("edge")
                            .with_attribute(("id", format!("e{i}").as_str()))
                            .with_attribute(("source", xml_safe(&e.source).as_ref()))
                            .with_attribute(("target", xml_safe(&e.target).as_ref()))
                            .write_inner_content(|w| {
                                data(w, "weight", &e.weight.to_string())?;
                                data(w, "distance", &(1.0 / e.weight as f64).to_string())?;
                                Ok(())
                            })?;
                    }
                    Ok(())
                })?;
            Ok(())
        })?;
    let mut out = w.into_inner();
    out.write_all(b"\n")?;
    Ok(out)
}
