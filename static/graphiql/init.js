// Starts GraphiQL against this site's /graphql endpoint (kept out of the page for a strict CSP).
(function () {
  var root = document.getElementById("graphiql");
  var fetcher = GraphiQL.createFetcher({ url: root.getAttribute("data-endpoint") });
  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultEditorToolsVisibility: true,
      defaultQuery:
        "# Initiatives working on SDG 6, with their organisations and goals.\n" +
        "# Add a header {\"Authorization\": \"Bearer <token>\"} to see your private ones.\n" +
        "{\n  initiatives(filter: {goal: \"6\"}, first: 10) {\n    totalCount\n" +
        "    pageInfo { hasNextPage endCursor }\n" +
        "    edges { node { id title organisation { name } goals { code title } } }\n  }\n}\n",
    })
  );
})();
