// pgjdbc in the JVM's time zone (-Duser.timezone=...), which it sends as TimeZone at start-up:
// timestamptz values, their text, date_trunc, extract, to_char and casts in that zone, and a
// java.sql.Timestamp parameter. Prints tab-separated lines the tests compare with PostgreSQL's.
// Run: java -Duser.timezone=Asia/Kolkata -cp postgresql.jar TimeZones.java JDBC_URL USER PASSWORD
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.OffsetDateTime;

public class TimeZones {
    static final String QUERY = "select timestamptz '2017-07-01 23:30:00+00' as t,"
        + " date_trunc('day', timestamptz '2017-07-01 23:30:00+00') as day,"
        + " extract(hour from timestamptz '2017-07-01 23:30:00+00') as hour,"
        + " to_char(timestamptz '2017-07-01 23:30:00+00', 'YYYY-MM-DD HH24:MI') as shown,"
        + " cast(timestamptz '2017-07-01 23:30:00+00' as timestamp) as local,"
        + " cast(timestamp '2017-07-01 23:30:00' as timestamptz) as zoned,"
        + " min(date_trunc('month', published_on)) as month,"
        + " now()::date = current_date as today"
        + " from source";

    static void print(String label, ResultSet rs) throws Exception {
        ResultSetMetaData columns = rs.getMetaData();
        while (rs.next()) {
            StringBuilder line = new StringBuilder(label);
            for (int i = 1; i <= columns.getColumnCount(); i++) {
                // mart serve has one string type (README): text and varchar alike.
                String type = columns.getColumnTypeName(i).replace("varchar", "text");
                line.append('\t').append(type).append('=').append(rs.getString(i));
                if (type.equals("timestamptz")) {
                    line.append('|').append(rs.getObject(i, OffsetDateTime.class))
                        .append('|').append(rs.getTimestamp(i));
                }
            }
            System.out.println(line);
        }
    }

    public static void main(String[] args) throws Exception {
        try (Connection connection = DriverManager.getConnection(args[0], args[1], args[2])) {
            try (Statement statement = connection.createStatement()) {
                try (ResultSet rs = statement.executeQuery("show timezone")) {
                    rs.next();
                    System.out.println("timezone\t" + rs.getString(1));
                }
                try (ResultSet rs = statement.executeQuery(QUERY)) {
                    print("simple", rs);
                }
            }
            // Prepared and run often enough for pgjdbc to read timestamptz in binary.
            for (int run = 1; run <= 6; run++) {
                try (PreparedStatement statement = connection.prepareStatement(
                        "select cast(? as timestamptz) as given, ? as later_than_2017")) {
                    statement.setTimestamp(1, Timestamp.valueOf("2017-07-01 10:00:00"));
                    statement.setBoolean(2, true);
                    try (ResultSet rs = statement.executeQuery()) {
                        print("prepared" + run, rs);
                    }
                }
            }
        }
    }
}
