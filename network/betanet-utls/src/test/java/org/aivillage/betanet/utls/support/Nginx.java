package org.aivillage.betanet.utls.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** nginx from Debian on loopback: one HTTP/2 server and one HTTP/1.1-only server, TLS 1.3. */
public final class Nginx implements AutoCloseable {
    public final int h2Port;
    public final int h1Port;
    /** An h2 server whose SETTINGS differ (max concurrent streams 64): a "different origin". */
    public final int h2AltPort;
    private final Process process;

    public Nginx(Path dir, TestPki.ServerIdentity id) throws Exception {
        String nginx = ExternalTool.require("nginx", "nginx");
        h2Port = ExternalTool.freePort();
        h1Port = ExternalTool.freePort();
        h2AltPort = ExternalTool.freePort();
        Files.createDirectories(dir.resolve("logs"));
        String conf = """
                daemon off;
                master_process off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log warn;
                events { worker_connections 256; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/body;
                  proxy_temp_path %1$s/proxy;
                  fastcgi_temp_path %1$s/fastcgi;
                  uwsgi_temp_path %1$s/uwsgi;
                  scgi_temp_path %1$s/scgi;
                  ssl_certificate %2$s;
                  ssl_certificate_key %3$s;
                  ssl_protocols TLSv1.3;
                  http2_max_concurrent_streams 100;
                  server {
                    listen 127.0.0.1:%4$d ssl http2;
                    server_name utls.test;
                    location / { return 200 "hello over h2\\n"; }
                  }
                  server {
                    listen 127.0.0.1:%5$d ssl;
                    server_name utls.test;
                    location / { return 200 "hello from nginx\\n"; }
                  }
                  server {
                    listen 127.0.0.1:%6$d ssl http2;
                    server_name utls.test;
                    http2_max_concurrent_streams 64;
                    location / { return 200 "another h2 origin\\n"; }
                  }
                }
                """.formatted(dir, id.chainPem(), id.keyPem(), h2Port, h1Port, h2AltPort);
        Path confFile = dir.resolve("nginx.conf");
        Files.writeString(confFile, conf);
        process = new ProcessBuilder(nginx, "-p", dir.toString(), "-c", confFile.toString(), "-e",
                dir.resolve("logs/error.log").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("logs/stdout.log").toFile()).start();
        try {
            ExternalTool.awaitListening(h2Port, Duration.ofSeconds(15), process);
            ExternalTool.awaitListening(h1Port, Duration.ofSeconds(15), process);
            ExternalTool.awaitListening(h2AltPort, Duration.ofSeconds(15), process);
        } catch (AssertionError e) {
            ExternalTool.destroyTree(process);
            Path log = dir.resolve("logs/error.log");
            throw new AssertionError("nginx did not start: " + e.getMessage() + "; error.log: "
                    + (Files.exists(log) ? Files.readString(log) : "(none)"), e);
        }
    }

    @Override
    public void close() throws Exception {
        ExternalTool.destroyTree(process);
    }
}
