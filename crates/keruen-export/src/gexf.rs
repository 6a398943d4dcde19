//! GEXF 1.3 (<https://gexf.net/>) of the cooperation network, for Gephi.
//!
//! One undirected static graph. Node `id` is the entity id, `label` its name in the
//! chosen language; node attributes `kind`, `events`, `degree`, `weighted_degree`,
//! `betweenness`, `community`; edge `weight` is the number of shared events and the
//! edge attribute `distance` is `1/weight`, the length that betweenness uses.
use crate::{Result, xml_text};
use keruen_analysis::network::Network;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, Event as XmlEvent};
use std::io::Write;

/// The node attributes: (id, title, GEXF type).
const NODE_ATTRIBUTES: [(&str, &str, &str); 6] = [
    ("kind", "kind", "string"),
    ("events", "events", "long"),
    ("degree", "degree", "integer"),
    ("weighted_degree", "weighted_degree", "long"),
    ("betweenness", "betweenness", "double"),
    ("community", "community", "integer"),
];

/// Writes `net`; `label` gives the name of an entity id.
pub fn write<W: Write>(out: W, net: &Network, label: &dyn Fn(&str) -> String) -> Result<W> {
    let mut w = Writer::new_with_indent(out, b' ', 2);
    w.write_event(XmlEvent::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element("gexf")
        .with_attribute(("xmlns", "http://gexf.net/1.3"))
        .with_attribute(("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"))
        .with_attribute(("xsi:schemaLocation", "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd"))
        .with_attribute(("version", "1.3"))
        .write_inner_content(|w| {
            w.create_element("meta").write_inner_content(|w| {
                w.create_element("creator").write_text_content(xml_text("keruen"))?;
                w.create_element("description").write_text_content(xml_text(&format!(
                    "Cooperation network: {} nodes, {} edges, {} communities (modularity {:.4}). \
                     Edge weight = shared events; distance = 1/weight.",
                    net.nodes.len(),
                    net.edges.len(),
                    net.communities,
                    net.modularity
                )))?;
                Ok(())
            })?;
            w.create_element("graph")
                .with_attribute(("defaultedgetype", "undirected"))
                .with_attribute(("mode", "static"))
                .write_inner_content(|w| {
                    w.create_element("attributes").with_attribute(("class", "node")).write_inner_content(
                        |w| {
                            for (id, title, ty) in NODE_ATTRIBUTES {
                                w.create_element("attribute")
                                    .with_attribute(("id", id))
                                    .with_attribute(("title", title))
                                    .with_attribute(("type", ty))
                                    .write_empty()?;
                            }
                            Ok(())
                        },
                    )?;
                    w.create_element("attributes").with_attribute(("class", "edge")).write_inner_content(
                        |w| {
                            w.create_element("attribute")
                                .with_attribute(("id", "distance"))
                                .with_attribute(("title", "distance"))
                                .with_attribute(("type", "double"))
                                .write_empty()?;
                            Ok(())
                        },
                    )?;
                    w.create_element("nodes").write_inner_content(|w| {
                        for n in &net.nodes {
                            let values = [
                                n.kind.as_str().to_string(),
                                n.events.to_string(),
                                n.degree.to_string(),
                                n.weighted_degree.to_string(),
                                n.betweenness.to_string(),
                                n.community.to_string(),
                            ];
                            w.create_element("node")
                                .with_attribute(("id", crate::xml_safe(&n.id).as_ref()))
                                .with_attribute(("label", crate::xml_safe(&label(&n.id)).as_ref()))
                                .write_inner_content(|w| {
                                    w.create_element("attvalues").write_inner_content(|w| {
                                        for ((id, _, _), v) in NODE_ATTRIBUTES.iter().zip(&values) {
                                            w.create_element("attvalue")
                                                .with_attribute(("for", *id))
                                                .with_attribute(("value", v.as_str()))
                                                .write_empty()?;
                                        }
                                        Ok(())
                                    })?;
                                    Ok(())
                                })?;
                        }
                        Ok(())
                    })?;
                    w.create_element("edges").write_inner_content(|w| {
                        for (i, e) in net.edges.iter().enumerate() {
                            w.create_element("edge")
                                .with_attribute(("id", i.to_string().as_str()))
                                .with_attribute(("source", crate::xml_safe(&e.source).as_ref()))
                                .with_attribute(("target", crate::xml_safe(&e.target).as_ref()))
                                .with_attribute(("weight", e.weight.to_string().as_str()))
                                .write_inner_content(|w| {
                                    w.create_element("attvalues").write_inner_content(|w| {
                                        w.create_element("attvalue")
                                            .with_attribute(("for", "distance"))
                                            .with_attribute((
                                                "value",
                                                (1.0 / e.weight as f64).to_string().as_str(),
                                            ))
                                            .write_empty()?;
                                        Ok(())
                                    })?;
                                    Ok(())
                                })?;
                        }
                        Ok(())
                    })?;
                    Ok(())
                })?;
            Ok(())
        })?;
    let mut out = w.into_inner();
    out.write_all(b"\n")?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graphml;
    use keruen_analysis::Facts;
    use keruen_analysis::network::{NetworkOptions, network};
    use keruen_model::{Event, EventType, Participant, Role};

    pub(crate) fn sample() -> Network {
        let mut facts = Facts::new();
        for (i, p) in [vec!["KZ", "UZ"], vec!["KZ", "UZ", "org:a&b"], vec!["UZ", "TJ"]].iter().enumerate() {
            let mut e = Event::new(format!("e{i}"), EventType::Festival, None);
            e.participants = p.iter().map(|x| Participant::new(*x, Role::Guest)).collect();
            facts.push(&e);
        }
        network(&facts, &NetworkOptions::default())
    }

    #[test]
    fn gexf_and_graphml_escape_and_count() {
        let net = sample();
        let label = |id: &str| format!("<{id}> \u{1} “name”");
        let gexf = String::from_utf8(write(Vec::new(), &net, &label).unwrap()).unwrap();
        assert!(gexf.contains("<gexf xmlns=\"http://gexf.net/1.3\""), "{gexf}");
        assert_eq!(gexf.matches("<node ").count(), 4);
        assert_eq!(gexf.matches("<edge ").count(), 4);
        assert!(gexf.contains("id=\"org:a&amp;b\""), "{gexf}");
        assert!(gexf.contains("label=\"&lt;KZ&gt; \u{fffd} “name”\""), "{gexf}");
        assert!(gexf.contains("weight=\"2\""));
        let gml = String::from_utf8(graphml::write(Vec::new(), &net, &label).unwrap()).unwrap();
        assert_eq!(gml.matches("<node ").count(), 4);
        assert_eq!(gml.matches("<edge ").count(), 4);
        assert!(gml.contains("&lt;org:a&amp;b&gt;"), "{gml}");
    }
}
