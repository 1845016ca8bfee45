// What Metabase, DBeaver and Tableau do on connecting through pgjdbc: read the catalog through
// DatabaseMetaData, then run a query. Prints tab-separated lines the tests compare.
// Run: java -cp postgresql.jar MartMetadata.java JDBC_URL USER PASSWORD
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;

public class MartMetadata {
    public static void main(String[] args) throws Exception {
        try (Connection connection = DriverManager.getConnection(args[0], args[1], args[2])) {
            DatabaseMetaData meta = connection.getMetaData();
            System.out.println("product\t" + meta.getDatabaseProductName());
            try (ResultSet rs = meta.getSchemas()) {
                while (rs.next()) System.out.println("schema\t" + rs.getString("TABLE_SCHEM"));
            }
            try (ResultSet rs = meta.getTables(null, "public", "%", new String[] {"TABLE", "VIEW"})) {
                while (rs.next()) {
                    System.out.println("table\t" + rs.getString("TABLE_SCHEM") + "\t"
                        + rs.getString("TABLE_NAME") + "\t" + rs.getString("TABLE_TYPE") + "\t"
                        + rs.getString("REMARKS"));
                }
            }
            try (ResultSet rs = meta.getColumns(null, "public", "shipments_quarterly", "%")) {
                while (rs.next()) {
                    System.out.println("column\t" + rs.getString("COLUMN_NAME") + "\t"
                        + rs.getInt("DATA_TYPE") + "\t" + rs.getString("TYPE_NAME") + "\t"
                        + rs.getInt("COLUMN_SIZE") + "\t" + rs.getInt("DECIMAL_DIGITS") + "\t"
                        + rs.getString("IS_NULLABLE") + "\t" + rs.getString("REMARKS"));
                }
            }
            String sql = "select company, period, period_start, units, qoq_growth_pct, source_count"
                + " from shipments_quarterly where company = ? order by period";
            // As DBeaver and Metabase read big results: in a transaction, a page of rows at a
            // time (the server suspends the portal after each page).
            connection.setAutoCommit(false);
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setFetchSize(1);
                statement.setString(1, "Xiaomi");
                try (ResultSet rs = statement.executeQuery()) {
                    ResultSetMetaData columns = rs.getMetaData();
                    while (rs.next()) {
                        StringBuilder line = new StringBuilder("row");
                        for (int i = 1; i <= columns.getColumnCount(); i++) {
                            line.append('\t').append(rs.getString(i));
                        }
                        System.out.println(line);
                    }
                }
            }
            connection.commit();
        }
    }
}
