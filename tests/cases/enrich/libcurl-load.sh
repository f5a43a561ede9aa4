# libcurl is loaded only when a run goes to the network: the binary does not
# link it, and a libcurl that cannot be loaded is one clear error, after which
# every entry is left as it was (the lookups count as failed).
case $(ldd "${CVBIB##* }" 2>/dev/null) in
*libcurl*) echo "cvbib links libcurl" ;;
*) echo "cvbib does not link libcurl" ;;
esac
CVBIB_LIBCURL=/nonexistent/libcurl.so.4 $CVBIB --refresh --mailto a@example.org -t csljson bad-doi.json
echo "exit $?"
CVBIB_LIBCURL=libm.so.6 $CVBIB --refresh --mailto a@example.org -t csljson bad-doi.json >/dev/null
echo "exit $?"
