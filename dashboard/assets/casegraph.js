// Browser-side part of the link chart (see dashboard/callbacks.py).
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    casegraph: {
        // A double-click on a node expands it. dash-cytoscape reports taps, not double taps, and
        // Dash folds two quick prop changes into one, so listen to Cytoscape's own `dbltap` and
        // hand it to Dash through a store. Called whenever the elements change; hooks up once.
        hookDoubleTap: function (_elements, chartId, storeId) {
            const hook = function (attempt) {
                const container = document.getElementById(chartId);
                const cy = container && container._cyreg && container._cyreg.cy;
                if (!cy) {
                    if (attempt < 50) { setTimeout(function () { hook(attempt + 1); }, 100); }
                    return;
                }
                if (cy.__casegraphDoubleTap) { return; }
                cy.__casegraphDoubleTap = true;
                cy.on("dbltap", "node", function (event) {
                    window.dash_clientside.set_props(storeId, {data: {id: event.target.id(), ts: Date.now()}});
                });
            };
            hook(0);
            return window.dash_clientside.no_update;
        }
    }
});
