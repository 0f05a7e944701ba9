package dev.agentflow.engine.blob;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One PostgreSQL database that the blob store and the graph registry share: how to connect, and
 * how to name it in messages without its password. Each caller opens and closes its own connection
 * per operation (see {@link PostgresBlobStore} for why there is no pool).
 */
public final class PostgresDatabase {

  private final PGSimpleDataSource dataSource = new PGSimpleDataSource();
  private final String where;

  /**
   * @param jdbcUrl e.g. {@code jdbc:postgresql://db.internal:5432/agentflow?sslmode=require}
   * @param user database user, or null when the URL carries it
   * @param password the user's password, or null when the URL carries it or none is needed
   * @throws IllegalArgumentException when the URL is not a PostgreSQL JDBC URL
   */
  public PostgresDatabase(String jdbcUrl, String user, String password) {
    if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("not a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database): " + withoutQuery(jdbcUrl));
    }
    dataSource.setURL(jdbcUrl);
    if (user != null) {
      dataSource.setUser(user);
    }
    if (password != null) {
      dataSource.setPassword(password);
    }
    this.where = withoutQuery(jdbcUrl);
  }

  /**
   * A database from one URL, as deployments pass it in one setting or environment variable: either
   * a JDBC URL ({@code jdbc:postgresql://host:5432/db?user=u&password=p}) or a libpq-style URL
   * ({@code postgresql://u:p@host:5432/db?sslmode=require}, also {@code postgres://}; percent-encode
   * special characters in the user and password).
   */
  public static PostgresDatabase fromUrl(String url) {
    if (url != null && url.startsWith("jdbc:")) {
      return new PostgresDatabase(url, null, null);
    }
    if (url == null || !(url.startsWith("postgresql://") || url.startsWith("postgres://"))) {
      throw new IllegalArgumentException(
          "not a PostgreSQL URL (postgresql://user:password@host:port/database or jdbc:postgresql://…): " + withoutQuery(url));
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a PostgreSQL URL: " + withoutQuery(url) + " (" + e.getReason() + ")");
    }
    String user = null;
    String password = null;
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
    }
    String hostPort = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    return new PostgresDatabase("jdbc:postgresql://" + hostPort + path + query, user, password);
  }

  /** The database as a data source, for stores that keep their own tables here (the pools' admission). */
  public javax.sql.DataSource dataSource() {
    return dataSource;
  }

  /** A new connection; the caller closes it. */
  public Connection connection() throws SQLException {
    return dataSource.getConnection();
  }

  /** The URL without its query string or password: safe for messages and logs. */
  public String where() {
    return where;
  }

  private static String decode(String text) {
    return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static String withoutQuery(String url) {
    if (url == null) {
      return "null";
    }
    int query = url.indexOf('?');
    String base = query < 0 ? url : url.substring(0, query);
    int at = base.lastIndexOf('@');
    int scheme = base.indexOf("://");
    return at > scheme && scheme >= 0 ? base.substring(0, scheme + 3) + "…@" + base.substring(at + 1) : base;
  }
}
