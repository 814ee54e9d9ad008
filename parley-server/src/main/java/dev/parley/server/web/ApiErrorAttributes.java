package dev.parley.server.web;

import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.webmvc.error.DefaultErrorAttributes;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.WebRequest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Errors that never reach a controller (the servlet container's own, such as a request rejected before
 * dispatch) go through Spring Boot's {@code /error}; this gives them the same {@code {"error":{...}}} shape,
 * without exception messages or stack traces.
 */
@Component
public class ApiErrorAttributes extends DefaultErrorAttributes {

    @Override
    public Map<String, Object> getErrorAttributes(WebRequest webRequest, ErrorAttributeOptions options) {
        Map<String, Object> defaults = super.getErrorAttributes(webRequest, ErrorAttributeOptions.defaults());
        Object statusValue = defaults.get("status");
        HttpStatus status = statusValue instanceof Integer i && HttpStatus.resolve(i) != null
                ? HttpStatus.resolve(i) : HttpStatus.INTERNAL_SERVER_ERROR;
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("code", ErrorCodes.forStatus(status));
        detail.put("message", ErrorCodes.messageForStatus(status));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", detail);
        return body;
    }
}
