package org.bmsmqtt.web.security;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.bmsmqtt.web.errors.Problem;

import java.io.IOException;
import java.util.List;

/**
 * The error page (WEB-INF/web.xml) for the 401 and 403 the container sends before a request reaches the API: the
 * same {@code application/problem+json} as every other API error instead of the server's HTML page. The
 * {@code WWW-Authenticate} header set by the authentication mechanism stays on the response.
 */
@WebServlet("/problem/*")
public class StatusProblemServlet extends HttpServlet {

    private static final Jsonb JSONB = JsonbBuilder.create();

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : response.getStatus();
        Problem p = switch (status) {
            case 401 -> new Problem("urn:bms:problem:unauthorized", "Unauthorized", 401,
                    "log in with HTTP Basic (realm \"bms\") as a user with role bms-admin or bms-viewer", List.of());
            case 403 -> new Problem("urn:bms:problem:forbidden", "Forbidden", 403,
                    "your roles do not allow this request: changes need bms-admin, reading needs bms-admin or "
                            + "bms-viewer", List.of());
            case 404 -> new Problem("urn:bms:problem:http-404", "Not Found", 404, "no such resource", List.of());
            default -> new Problem("urn:bms:problem:status", "Error", status, "request failed", List.of());
        };
        response.setStatus(status);
        response.setContentType(Problem.MEDIA_TYPE.toString());
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(JSONB.toJson(p));
    }
}
