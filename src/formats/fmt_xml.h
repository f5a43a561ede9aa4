/*
 * fmt_xml.h - XML input for the readers of src/formats/ (fmt_xml.c).
 */
#ifndef CVB_FMT_XML_H
#define CVB_FMT_XML_H

#include <libxml/tree.h>
#include "formats/fmt.h"

/* Parse with recovery; the first error is reported.  NULL: nothing read. */
xmlDocPtr fmt_xml_read(struct fmt *, const char *data, size_t len);
bool	fmt_xml_is(const xmlNode *, const char *name);
xmlNodePtr fmt_xml_child(const xmlNode *, const char *name);
/* Text content, trimmed, in the arena; NULL when empty. */
const char *fmt_xml_text(struct fmt *, const xmlNode *);
const char *fmt_xml_attr(struct fmt *, const xmlNode *, const char *name);
/* Text content with <i> <b> <sub> <sup> kept as rich-text tags. */
const char *fmt_xml_rich(struct fmt *, const xmlNode *);
unsigned fmt_xml_line(const xmlNode *);

#endif
