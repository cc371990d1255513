/*
 * The VPN page's refresh: every few seconds fetch status.json and show it. Everything shown comes as
 * text from the server's status model (display.cells, display.ike, ...); this script only places it,
 * always through textContent, never as HTML.
 */
(function () {
    'use strict';
    var page = document.getElementById('vpn-page');
    if (!page) {
        return;
    }
    // absolute from the origin: a page opened as http://user:pass@host/ must not fetch a URL with credentials
    var url = window.location.origin + page.getAttribute('data-status-url');
    var interval = parseInt(page.getAttribute('data-refresh-millis'), 10) || 3000;
    var table = document.getElementById('vpn-connections');
    var tbody = table.tBodies[0];
    var token = table.getAttribute('data-token');
    var action = table.getAttribute('data-action');
    var shown = new WeakMap(); // element -> what it shows (JSON), so unchanged parts are not rebuilt
    var cellClasses = ['name', 'state', 'gateway', 'virtual-ip', 'nat', 'uptime', 'throughput-in',
        'throughput-out', 'next-rekey', 'last-error'];

    function el(tag, cls, text) {
        var e = document.createElement(tag);
        if (cls) {
            e.className = cls;
        }
        if (text !== undefined && text !== null) {
            e.textContent = text;
        }
        return e;
    }

    function byConnection(container, selector, name) {
        var nodes = container.querySelectorAll(selector);
        for (var i = 0; i < nodes.length; i++) {
            if (nodes[i].getAttribute('data-connection') === name) {
                return nodes[i];
            }
        }
        return null;
    }

    function actionForm(name, act, label) {
        var form = el('form', 'vpn-action');
        form.method = 'post';
        form.action = action;
        [['action', act], ['name', name], ['token', token]].forEach(function (f) {
            var input = document.createElement('input');
            input.type = 'hidden';
            input.name = f[0];
            input.value = f[1];
            form.appendChild(input);
        });
        var button = el('button', 'vpn-' + act, label);
        button.type = 'submit';
        form.appendChild(button);
        return form;
    }

    function newRow(name) {
        var tr = document.createElement('tr');
        tr.setAttribute('data-connection', name);
        cellClasses.forEach(function (c) {
            tr.appendChild(el('td', c));
        });
        var actions = el('td', 'actions');
        actions.appendChild(actionForm(name, 'connect', 'Connect'));
        actions.appendChild(actionForm(name, 'disconnect', 'Disconnect'));
        tr.appendChild(actions);
        return tr;
    }

    function updateRows(connections) {
        var keep = {};
        connections.forEach(function (c, i) {
            keep[c.name] = true;
            var tr = byConnection(tbody, 'tr[data-connection]', c.name) || newRow(c.name);
            cellClasses.forEach(function (cls) {
                var td = tr.querySelector('td.' + cls);
                if (td.textContent !== c.display.cells[cls]) {
                    td.textContent = c.display.cells[cls];
                }
            });
            // move a row only when it is out of the server's order: a row under the pointer stays put
            if (tbody.rows[i] !== tr) {
                tbody.insertBefore(tr, tbody.rows[i] || null);
            }
        });
        Array.prototype.slice.call(tbody.querySelectorAll('tr[data-connection]')).forEach(function (tr) {
            if (!keep[tr.getAttribute('data-connection')]) {
                tbody.removeChild(tr);
            }
        });
    }

    /** Replaces the children of an element when what they show changed; the element itself stays. */
    function fill(element, content, build) {
        var key = JSON.stringify(content);
        if (shown.get(element) === key) {
            return;
        }
        element.textContent = '';
        build(element);
        shown.set(element, key);
    }

    function tableOf(cls, head, rows, rowHeadings) {
        var t = el('table', 'nicetable ' + cls);
        if (head) {
            var thead = el('thead');
            var htr = el('tr');
            head.forEach(function (h) {
                htr.appendChild(el('th', 'ui-widget-header', h));
            });
            thead.appendChild(htr);
            t.appendChild(thead);
        }
        var tb = el('tbody');
        rows.forEach(function (row) {
            var tr = el('tr');
            row.forEach(function (v, i) {
                // the console styles the th of server-rendered tables (ui-widget-header) once, at load
                tr.appendChild(rowHeadings && i === 0 ? el('th', 'ui-widget-header', v) : el('td', null, v));
            });
            tb.appendChild(tr);
        });
        t.appendChild(tb);
        return t;
    }

    function updateDetails(connections) {
        var details = document.getElementById('vpn-details');
        var keep = {};
        connections.forEach(function (c, i) {
            keep[c.name] = true;
            var s = byConnection(details, 'section.vpn-detail', c.name);
            if (!s) {
                s = el('section', 'vpn-detail');
                s.setAttribute('data-connection', c.name);
            }
            fill(s, c.display, function (section) {
                section.appendChild(el('h2', null, c.name));
                section.appendChild(tableOf('ike-sa', null, c.display.ike, true));
                section.appendChild(tableOf('child-sas', c.display.childSaColumns, c.display.childSas, false));
            });
            if (details.children[i] !== s) {
                details.insertBefore(s, details.children[i] || null);
            }
        });
        Array.prototype.slice.call(details.querySelectorAll('section.vpn-detail')).forEach(function (s) {
            if (!keep[s.getAttribute('data-connection')]) {
                details.removeChild(s);
            }
        });
    }

    function updateProvisioning(p) {
        var section = document.getElementById('vpn-provisioning');
        var summary = p ? p.summary : 'No provisioning check service.';
        var paragraph = section.querySelector('p.summary');
        if (paragraph.textContent !== summary) {
            paragraph.textContent = summary;
        }
        fill(section.querySelector('ul'), p ? p.items : [], function (ul) {
            (p ? p.items : []).forEach(function (i) {
                ul.appendChild(el('li', i.passed ? 'passed' : 'failed vpn-failed', i.line));
            });
        });
    }

    function updateEvents(status) {
        var section = document.getElementById('vpn-events-section');
        var summary = status.eventsAvailable ? '' : 'No connection event log service.';
        var paragraph = section.querySelector('p.summary');
        if (paragraph.textContent !== summary) {
            paragraph.textContent = summary;
        }
        fill(document.getElementById('vpn-events'), status.events, function (ol) {
            status.events.forEach(function (e) {
                ol.appendChild(el('li', null, e.line));
            });
        });
    }

    function updateProfileProblems(problems) {
        var ul = document.getElementById('vpn-profile-problems');
        ul.textContent = '';
        problems.forEach(function (p) {
            ul.appendChild(el('li', 'vpn-failed', p));
        });
    }

    function show(status) {
        document.getElementById('vpn-manager-problem').textContent = status.managerProblem
            || (status.managerAvailable ? '' : 'The Policy Manager (VpnManager service) is not running: no connections to show.');
        updateRows(status.connections);
        updateDetails(status.connections);
        updateProvisioning(status.provisioning);
        updateProfileProblems(status.profileProblems || []);
        updateEvents(status);
        var refreshed = document.getElementById('vpn-refreshed');
        var count = (parseInt(refreshed.getAttribute('data-refresh-count'), 10) || 0) + 1;
        refreshed.textContent = status.takenAtText;
        refreshed.setAttribute('data-refresh-count', String(count));
        document.getElementById('vpn-refresh-problem').textContent = '';
    }

    function refresh() {
        fetch(url, {credentials: 'same-origin', cache: 'no-store', headers: {'Accept': 'application/json'}})
            .then(function (response) {
                if (!response.ok) {
                    throw new Error('status ' + response.status);
                }
                return response.json();
            })
            .then(show)
            .catch(function (e) {
                document.getElementById('vpn-refresh-problem').textContent = 'refresh failed: ' + e.message;
            })
            .then(function () {
                window.setTimeout(refresh, interval);
            });
    }

    window.setTimeout(refresh, interval);
}());
