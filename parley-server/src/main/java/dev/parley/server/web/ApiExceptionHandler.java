package dev.parley.server.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.validation.FieldError;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;

import java.util.stream.Collectors;

/**
 * Turns every error raised while handling a request into the contract's JSON error shape, with a stable
 * {@code code} per kind of mistake. Never answers with a stack trace or an exception's internal message.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ApiError> api(ApiException e) {
        return error(e.status(), e.code(), e.getMessage());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ApiError> typeMismatch(MethodArgumentTypeMismatchException e) {
        if (e.getParameter().hasParameterAnnotation(org.springframework.web.bind.annotation.PathVariable.class)) {
            // A malformed id names nothing that exists.
            return error(HttpStatus.NOT_FOUND, "not_found", "no such " + e.getName());
        }
        return error(HttpStatus.BAD_REQUEST, "invalid_parameter",
                "parameter '" + e.getName() + "' has an invalid value");
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<ApiError> denied(AccessDeniedException e) {
        return error(HttpStatus.FORBIDDEN, "forbidden", "your role may not do this");
    }

    /**
     * The database could not be reached (no connection within the pool's timeout, a connection lost, a timeout):
     * 503 with Retry-After, so that clients retry, as they would on any temporary outage, rather than 500. (The same
     * exceptions as {@link StoreUnavailable#is}.)
     */
    @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessException.class,
            CannotCreateTransactionException.class})
    ResponseEntity<ApiError> storeUnavailable(Exception e) {
        log.warn("the database is unavailable while handling a request: {}", e.toString());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, StoreUnavailable.RETRY_AFTER)
                .contentType(MediaType.APPLICATION_JSON)
                .body(ApiError.of(StoreUnavailable.CODE, StoreUnavailable.MESSAGE));
    }

    /** A rollback that failed: 503 when the work had failed because the database went away, else unexpected. */
    @ExceptionHandler(TransactionSystemException.class)
    ResponseEntity<ApiError> transactionSystem(TransactionSystemException e) {
        return StoreUnavailable.is(e) ? storeUnavailable(e) : unexpected(e);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiError> unexpected(Exception e) {
        log.error("unexpected error while handling a request", e);
        return error(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error", "an unexpected error occurred");
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String message = ex.getBindingResult().getAllErrors().stream()
                .map(err -> err instanceof FieldError fe
                        ? snake(fe.getField()) + ": " + fe.getDefaultMessage()
                        : err.getDefaultMessage())
                .sorted()
                .collect(Collectors.joining("; "));
        return generic(HttpStatus.BAD_REQUEST, "validation_failed", message);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String message = ex.getParameterValidationResults().stream()
                .flatMap(r -> r.getResolvableErrors().stream()
                        .map(err -> snake(r.getMethodParameter().getParameterName()) + ": " + err.getDefaultMessage()))
                .sorted()
                .collect(Collectors.joining("; "));
        return generic(HttpStatus.BAD_REQUEST, "validation_failed", message);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Throwable cause = ex.getCause();
        if (cause instanceof DatabindException de && !(cause instanceof StreamReadException)) {
            String path = de.getPath().stream()
                    .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
            return generic(HttpStatus.BAD_REQUEST, "invalid_request",
                    path.isEmpty() ? "the request body has the wrong shape"
                            : "field '" + path + "' has the wrong type or value");
        }
        if (cause instanceof JacksonException) {
            return generic(HttpStatus.BAD_REQUEST, "invalid_json", "the request body is not valid JSON");
        }
        return generic(HttpStatus.BAD_REQUEST, "invalid_json", "the request body is missing or not valid JSON");
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return generic(HttpStatus.BAD_REQUEST, "missing_parameter",
                "query parameter '" + ex.getParameterName() + "' is required");
    }

    @Override
    protected ResponseEntity<Object> handleHttpRequestMethodNotSupported(HttpRequestMethodNotSupportedException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String allowed = ex.getSupportedHttpMethods() == null ? ""
                : " (allowed: " + ex.getSupportedHttpMethods().stream().map(Object::toString).sorted()
                        .collect(Collectors.joining(", ")) + ")";
        ResponseEntity<Object> response = generic(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                "method " + ex.getMethod() + " is not allowed here" + allowed);
        HttpHeaders out = new HttpHeaders();
        out.putAll(response.getHeaders());
        if (ex.getSupportedHttpMethods() != null) {
            out.setAllow(ex.getSupportedHttpMethods());
        }
        return new ResponseEntity<>(response.getBody(), out, response.getStatusCode());
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return generic(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                "send the request body as application/json");
    }

    @Override
    protected ResponseEntity<Object> handleNoHandlerFoundException(NoHandlerFoundException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return generic(HttpStatus.NOT_FOUND, "not_found", "no such route");
    }

    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return generic(HttpStatus.NOT_FOUND, "not_found", "no such route");
    }

    /** Everything else Spring MVC maps to a status: keep the status, use our shape. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        HttpStatus status = HttpStatus.resolve(statusCode.value());
        if (status == null) {
            status = HttpStatus.BAD_REQUEST;
        }
        return generic(status, ErrorCodes.forStatus(status), ErrorCodes.messageForStatus(status));
    }

    private static ResponseEntity<ApiError> error(HttpStatus status, String code, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(ApiError.of(code, message));
    }

    private static ResponseEntity<Object> generic(HttpStatus status, String code, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(ApiError.of(code, message));
    }

    /** Field names in messages as the caller wrote them (snake_case JSON). */
    static String snake(String camel) {
        if (camel == null) {
            return "";
        }
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
