using System.Collections.Generic;
using System.Text;
using System.Text.Encodings.Web;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;

namespace Orders.AuthServer.Endpoints;

/// <summary>
/// The two server-rendered pages (login, consent). No script, no style, no third-party asset: the CSP
/// is <c>default-src 'none'</c>. Every value is HTML-encoded; every form carries an antiforgery token.
/// </summary>
internal static class Html
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Default;

    public static Task LoginAsync(HttpContext context, IAntiforgery antiforgery, string returnUrl, string? error, int status = StatusCodes.Status200OK)
    {
        var html = new StringBuilder();
        Open(html, "Sign in");
        html.Append("<h1>Sign in</h1>");
        if (error is not null)
        {
            html.Append("<p role=\"alert\" id=\"error\">").Append(Encoder.Encode(error)).Append("</p>");
        }

        html.Append("<form method=\"post\" action=\"/account/login\">");
        Antiforgery(html, context, antiforgery);
        Hidden(html, "returnUrl", returnUrl);
        html.Append("<p><label for=\"username\">User name</label> <input id=\"username\" name=\"username\" autocomplete=\"username\" required maxlength=\"100\"></p>")
            .Append("<p><label for=\"password\">Password</label> <input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required maxlength=\"200\"></p>")
            .Append("<p><button id=\"sign-in\" type=\"submit\">Sign in</button></p></form>");
        return WriteAsync(context, html, status, formAction: null);
    }

    public static Task ConsentAsync(HttpContext context, IAntiforgery antiforgery, string user, string client, IEnumerable<string> scopes,
        IReadOnlyCollection<string> withheld, IEnumerable<KeyValuePair<string, string?>> parameters, string redirectOrigin)
    {
        var html = new StringBuilder();
        Open(html, "Allow access?");
        html.Append("<h1>Allow access?</h1><p>Signed in as <strong>").Append(Encoder.Encode(user)).Append("</strong>.</p>")
            .Append("<p><strong id=\"client\">").Append(Encoder.Encode(client)).Append("</strong> will be allowed:</p>");
        List(html, "scopes", scopes);
        if (withheld.Count > 0)
        {
            // Asked for, but not yours to give: the client does not get them whatever you answer.
            html.Append("<p>It also asked for what your account does not hold, which it will not get:</p>");
            List(html, "withheld", withheld);
        }

        html.Append("<form method=\"post\" action=\"/connect/authorize\">");
        Antiforgery(html, context, antiforgery);
        // The authorization request travels on in the form; OpenIddict validates it again on the POST.
        foreach (var (name, value) in parameters)
        {
            Hidden(html, name, value ?? "");
        }

        html.Append("<p><button id=\"accept\" type=\"submit\" name=\"decision\" value=\"accept\">Allow</button> ")
            .Append("<button id=\"deny\" type=\"submit\" name=\"decision\" value=\"deny\">Deny</button></p></form>");
        // The POST answers with a redirect to the client: CSP form-action must allow that origin too.
        return WriteAsync(context, html, StatusCodes.Status200OK, formAction: redirectOrigin);
    }

    private static void List(StringBuilder html, string id, IEnumerable<string> items)
    {
        html.Append("<ul id=\"").Append(id).Append("\">");
        foreach (string item in items)
        {
            html.Append("<li>").Append(Encoder.Encode(item)).Append("</li>");
        }

        html.Append("</ul>");
    }

    private static void Open(StringBuilder html, string title) =>
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .Append(Encoder.Encode(title)).Append(" — Orders</title></head><body>");

    private static void Antiforgery(StringBuilder html, HttpContext context, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        Hidden(html, tokens.FormFieldName, tokens.RequestToken ?? "");
    }

    private static void Hidden(StringBuilder html, string name, string value) =>
        html.Append("<input type=\"hidden\" name=\"").Append(Encoder.Encode(name)).Append("\" value=\"").Append(Encoder.Encode(value)).Append("\">");

    private static Task WriteAsync(HttpContext context, StringBuilder html, int status, string? formAction)
    {
        html.Append("</body></html>");
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        SecurityHeaders.SetFormAction(context, formAction);
        return context.Response.WriteAsync(html.ToString(), context.RequestAborted);
    }
}
