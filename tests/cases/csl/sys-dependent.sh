# a dependent style of the system's CSL directory (styles/dependent/) loads
# its parent (styles/) and its default-locale de-DE (locales/)
CVBIB_CSL_DIR=sys $CVBIB -t text --style tiny-german sys-items.json
# de-AT falls back to de-DE, then en-US
CVBIB_CSL_DIR=sys $CVBIB -t text --style tiny-german --locale de-AT sys-items.json
# a locale that is not installed: cvbib's own en-US, and a warning
CVBIB_CSL_DIR=sys $CVBIB -t text --style tiny-numeric --locale fr-FR sys-items.json
