using System.Globalization;
using System.Net;
using System.Text;

namespace Tuner.Reports.Html;

/// <summary>
/// One self-contained HTML page: styles and the small script inline, charts as inline SVG, no link to anything on a
/// network, so it opens from a file, a CI artifact or an e-mail attachment. Readable without JavaScript (tables are
/// real tables, charts are SVG); the script only adds sorting and filtering to tables marked for it.
/// </summary>
public sealed class HtmlPage
{
    private readonly List<(string Id, string Heading, string Body)> _sections = [];
    private readonly List<(string Text, string Href)> _links = [];

    public HtmlPage(string title, string subtitle)
    {
        Title = title;
        Subtitle = subtitle;
    }

    public string Title { get; }

    public string Subtitle { get; }

    /// <summary>A section with an id (linked from the page's table of contents) and its HTML body.</summary>
    public void Section(string id, string heading, string body) => _sections.Add((id, heading, body));

    /// <summary>A link in the page header (e.g. the previous and the next night).</summary>
    public void Link(string text, string href) => _links.Add((text, href));

    public string Render()
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.Append("<meta name=\"generator\" content=\"tuner report --html\">");
        html.Append("<title>").Append(E(Title)).Append("</title><style>").Append(Css).Append("</style></head><body>");
        html.Append("<header><h1>").Append(E(Title)).Append("</h1><p class=\"subtitle\">").Append(E(Subtitle)).Append("</p>");
        if (_links.Count > 0)
        {
            html.Append("<p class=\"links\">");
            foreach ((string text, string href) in _links)
            {
                html.Append("<a href=\"").Append(E(href)).Append("\">").Append(E(text)).Append("</a> ");
            }

            html.Append("</p>");
        }

        html.Append("<nav><ul>");
        foreach ((string id, string heading, _) in _sections)
        {
            html.Append("<li><a href=\"#").Append(E(id)).Append("\">").Append(E(heading)).Append("</a></li>");
        }

        html.Append("</ul></nav></header><main>");
        foreach ((string id, string heading, string body) in _sections)
        {
            html.Append("<section id=\"").Append(E(id)).Append("\"><h2>").Append(E(heading)).Append("</h2>").Append(body).Append("</section>");
        }

        html.Append("</main><script>").Append(Script).Append("</script></body></html>\n");
        return html.ToString();
    }

    /// <summary>Writes the page atomically (a temporary file, then moved) into a folder created if missing.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temporary = full + ".tmp";
        File.WriteAllText(temporary, Render(), new UTF8Encoding(false));
        File.Move(temporary, full, overwrite: true);
    }

    /// <summary>HTML-encodes text.</summary>
    public static string E(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    /// <summary>A paragraph of text.</summary>
    public static string P(string text, string? cssClass = null) => $"<p{(cssClass is null ? string.Empty : $" class=\"{cssClass}\"")}>{E(text)}</p>";

    /// <summary>A number with up to <paramref name="decimals"/> decimals (invariant), or "-" when not finite.</summary>
    public static string N(double? value, int decimals = 2) =>
        value is double v && double.IsFinite(v) ? v.ToString("0." + new string('#', decimals), CultureInfo.InvariantCulture) : "-";

    private const string Css = """
        :root { color-scheme: light; }
        body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; margin: 0; color: #1a1a1a; background: #fff; line-height: 1.4; }
        header { padding: 16px 24px 8px; border-bottom: 1px solid #ddd; background: #f7f7f7; }
        h1 { font-size: 1.5em; margin: 0 0 4px; }
        h2 { font-size: 1.2em; margin: 24px 0 8px; border-bottom: 1px solid #eee; padding-bottom: 4px; }
        .subtitle { margin: 0; color: #444; }
        nav ul { list-style: none; padding: 0; margin: 8px 0 0; display: flex; flex-wrap: wrap; gap: 4px 16px; }
        main { padding: 0 24px 32px; max-width: 1400px; }
        table { border-collapse: collapse; margin: 8px 0; font-size: 0.9em; }
        th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
        th { background: #f0f0f0; }
        th.sortable { cursor: pointer; }
        th.sortable::after { content: " \2195"; color: #888; }
        th[aria-sort="ascending"]::after { content: " \2191"; color: #000; }
        th[aria-sort="descending"]::after { content: " \2193"; color: #000; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        tr.regression td { background: #fbe3d6; }
        tr.improvement td { background: #dcecf7; }
        tr.best td { font-weight: bold; }
        .verdict { font-size: 1.1em; padding: 8px 12px; border-left: 6px solid #0072B2; background: #eef5fb; }
        .verdict.bad { border-color: #D55E00; background: #fbefe8; }
        .tag { display: inline-block; padding: 0 6px; border-radius: 3px; border: 1px solid #999; font-size: 0.85em; }
        .tag.regression { border-color: #D55E00; color: #8a3a00; }
        .tag.improvement { border-color: #0072B2; color: #004a75; }
        figure.chart { margin: 12px 0; }
        figure.chart svg { max-width: 100%; height: auto; font-size: 12px; }
        figure.chart svg .chart-title { font-weight: bold; font-size: 13px; }
        figcaption { color: #444; font-size: 0.9em; max-width: 900px; }
        code { background: #f3f3f3; padding: 1px 4px; word-break: break-all; }
        .filters { margin: 8px 0; display: flex; flex-wrap: wrap; gap: 12px; align-items: center; }
        .note { color: #555; font-size: 0.9em; }
        """;

    /// <summary>Sorting (click a header; numbers sort by their data-sort value) and filtering (selects naming a table and a column or attribute).</summary>
    private const string Script = """
        (function () {
          function key(cell) { var v = cell.getAttribute('data-sort'); if (v === null) return cell.textContent.trim().toLowerCase(); var n = parseFloat(v); return isNaN(n) ? v : n; }
          document.querySelectorAll('table.sortable').forEach(function (table) {
            table.querySelectorAll('thead th').forEach(function (th, column) {
              th.classList.add('sortable');
              th.setAttribute('tabindex', '0');
              function sort() {
                var ascending = th.getAttribute('aria-sort') !== 'ascending';
                table.querySelectorAll('thead th').forEach(function (o) { o.removeAttribute('aria-sort'); });
                th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
                var body = table.tBodies[0];
                var rows = Array.prototype.slice.call(body.rows);
                rows.sort(function (a, b) {
                  var x = key(a.cells[column]), y = key(b.cells[column]);
                  if (typeof x === 'number' && typeof y === 'number') return ascending ? x - y : y - x;
                  x = String(x); y = String(y);
                  return ascending ? (x < y ? -1 : x > y ? 1 : 0) : (x < y ? 1 : x > y ? -1 : 0);
                });
                rows.forEach(function (r) { body.appendChild(r); });
              }
              th.addEventListener('click', sort);
              th.addEventListener('keydown', function (e) { if (e.key === 'Enter') sort(); });
            });
          });
          document.querySelectorAll('.filters').forEach(function (bar) {
            var table = document.getElementById(bar.getAttribute('data-table'));
            var count = bar.querySelector('.count');
            var selects = bar.querySelectorAll('select');
            function apply() {
              var shown = 0;
              Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
                var ok = true;
                selects.forEach(function (s) {
                  if (s.value === '') return;
                  var values = (row.getAttribute('data-' + s.getAttribute('data-attribute')) || '').split(' ');
                  if (values.indexOf(s.value) < 0) ok = false;
                });
                row.hidden = !ok;
                if (ok) shown++;
              });
              if (count) count.textContent = shown + ' of ' + table.tBodies[0].rows.length + ' rows';
            }
            selects.forEach(function (s) { s.addEventListener('change', apply); });
            apply();
          });
        })();
        """;
}

/// <summary>A table built row by row: text cells (encoded), numeric cells (right-aligned, sorted by value) and row attributes for filters.</summary>
public sealed class HtmlTable
{
    private readonly string[] _headers;
    private readonly List<string> _rows = [];
    private readonly string? _id;
    private readonly bool _sortable;

    public HtmlTable(string? id, bool sortable, params string[] headers)
    {
        _id = id;
        _sortable = sortable;
        _headers = headers;
    }

    public int Rows => _rows.Count;

    /// <summary>Adds a row: each cell is a <see cref="Cell"/>; <paramref name="attributes"/> become data-NAME attributes (space-separated values).</summary>
    public void Add(IEnumerable<Cell> cells, IReadOnlyDictionary<string, string>? attributes = null, string? cssClass = null)
    {
        var row = new StringBuilder("<tr");
        if (cssClass is not null)
        {
            row.Append(" class=\"").Append(HtmlPage.E(cssClass)).Append('"');
        }

        foreach ((string name, string value) in attributes ?? new Dictionary<string, string>())
        {
            row.Append(" data-").Append(name).Append("=\"").Append(HtmlPage.E(value)).Append('"');
        }

        row.Append('>');
        foreach (Cell cell in cells)
        {
            row.Append(cell.Html);
        }

        _rows.Add(row.Append("</tr>").ToString());
    }

    public string Render()
    {
        var html = new StringBuilder("<table");
        if (_id is not null)
        {
            html.Append(" id=\"").Append(HtmlPage.E(_id)).Append('"');
        }

        if (_sortable)
        {
            html.Append(" class=\"sortable\"");
        }

        html.Append("><thead><tr>");
        foreach (string header in _headers)
        {
            html.Append("<th scope=\"col\">").Append(HtmlPage.E(header)).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (string row in _rows)
        {
            html.Append(row);
        }

        return html.Append("</tbody></table>").ToString();
    }
}

/// <summary>A table cell.</summary>
public readonly record struct Cell(string Html)
{
    /// <summary>Text, encoded.</summary>
    public static Cell Text(string? text) => new($"<td>{HtmlPage.E(text)}</td>");

    /// <summary>A number right-aligned, sorted by its value (not-finite sorts last and shows <paramref name="missing"/>).</summary>
    public static Cell Number(double? value, int decimals = 2, string missing = "-", string suffix = "")
    {
        string sort = value is double v && double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "1e308";
        string text = value is double w && double.IsFinite(w) ? HtmlPage.N(w, decimals) + suffix : missing;
        return new($"<td class=\"num\" data-sort=\"{sort}\">{HtmlPage.E(text)}</td>");
    }

    /// <summary>Raw HTML (already encoded by the caller).</summary>
    public static Cell Raw(string html, string? sort = null) =>
        new(sort is null ? $"<td>{html}</td>" : $"<td data-sort=\"{HtmlPage.E(sort)}\">{html}</td>");
}
