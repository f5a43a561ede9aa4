# --list-styles: names and titles of what --style finds, the first of each
# name on the search path (the user's tiny-numeric hides the system's)
CVBIB_CSL_DIR=sys CVBIB_STYLES=userstyles $CVBIB --list-styles tiny
CVBIB_CSL_DIR=sys $CVBIB --list-styles 'tiny-*'
CVBIB_CSL_DIR=sys $CVBIB --list-styles=German
CVBIB_CSL_DIR=sys $CVBIB --list-styles nothing-like-this
