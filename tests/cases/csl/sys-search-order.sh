# the user's directories ($CVBIB_STYLES, then $XDG_DATA_HOME/cvbib/styles)
# come before cvbib's own styles and the system's
CVBIB_CSL_DIR=sys CVBIB_STYLES=userstyles $CVBIB -t text --style tiny-numeric sys-items.json
CVBIB_CSL_DIR=sys XDG_DATA_HOME=$PWD/xdg $CVBIB -t text --style tiny-numeric sys-items.json
# a file path comes first of all
CVBIB_CSL_DIR=sys CVBIB_STYLES=userstyles $CVBIB -t text --style sys/styles/tiny-numeric.csl sys-items.json
# not found: where cvbib looked, and close names
CVBIB_CSL_DIR=sys CVBIB_STYLES=userstyles $CVBIB -t text --style tiny-germn sys-items.json
CVBIB_CSL_DIR=/nonexistent $CVBIB -t text --style tiny-germn sys-items.json
