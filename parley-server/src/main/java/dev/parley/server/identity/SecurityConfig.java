package dev.parley.server.identity;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.DefaultAuthenticationEventPublisher;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two filter chains. The machine chain ({@code /api/**}, {@code /webhooks/**}, {@code /actuator/**}) is
 * stateless: bearer API tokens, no sessions, no CSRF (no cookies are involved), JSON 401/403; webhooks and
 * health are public (webhooks verify Meta's signature themselves). The web chain covers everything else and
 * is where session-based form login for the web UI goes; until then it only serves the error page.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    @Bean
    @Order(1)
    SecurityFilterChain apiChain(HttpSecurity http, ApiTokens tokens, JsonMapper json) throws Exception {
        JsonSecurityErrors errors = new JsonSecurityErrors(json);
        http.securityMatcher("/api/**", "/webhooks/**", "/actuator/**")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .logout(l -> l.disable())
                .requestCache(c -> c.disable())
                .addFilterBefore(new ApiTokenAuthenticationFilter(tokens), AnonymousAuthenticationFilter.class)
                .exceptionHandling(e -> e.authenticationEntryPoint(errors).accessDeniedHandler(errors))
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/webhooks/**").permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info").permitAll()
                        .anyRequest().authenticated());
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain webChain(HttpSecurity http, JsonMapper json) throws Exception {
        JsonSecurityErrors errors = new JsonSecurityErrors(json);
        // The web UI will add .formLogin(...) and session management here.
        http.exceptionHandling(e -> e.authenticationEntryPoint(errors).accessDeniedHandler(errors))
                .httpBasic(b -> b.disable())
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/error").permitAll()
                        .anyRequest().authenticated());
        return http.build();
    }

    /** Publishes sign-in successes and failures as events ({@link LoginEvents} audits them). */
    @Bean
    AuthenticationEventPublisher authenticationEventPublisher(ApplicationEventPublisher publisher) {
        return new DefaultAuthenticationEventPublisher(publisher);
    }

    /** BCrypt (Spring Security's delegating default, {@code {bcrypt}} prefixed so the algorithm can change later). */
    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    /** Users sign in with their email for the future web UI; also keeps Boot from creating its default user. */
    @Bean
    UserDetailsService userDetailsService(Users users) {
        return email -> users.findByEmail(email)
                .flatMap(u -> users.passwordHash(u.id()).map(hash -> org.springframework.security.core.userdetails.User
                        .withUsername(u.email()).password(hash).roles(u.role().name()).build()))
                .orElseThrow(() -> new UsernameNotFoundException("no such user"));
    }
}
