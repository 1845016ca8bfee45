// pgjdbc past its prepareThreshold: from the 5th execution a statement is prepared on the server
// (named), and from then on its dates, times, uuids and arrays travel in binary, both ways.
// Prints tab-separated lines the tests compare; run the same against PostgreSQL to compare.
// Run: java -cp postgresql.jar BinarySwitch.java JDBC_URL USER PASSWORD
import java.sql.Array;
import java.sql.Connection;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Time;
import java.util.UUID;

public class BinarySwitch {
    public static void main(String[] args) throws Exception {
        try (Connection connection = DriverManager.getConnection(args[0], args[1], args[2])) {
            String sql = "select ?::date as d, ?::time as t, ?::uuid as u, ?::int[] as a,"
                + " (select count(*) from period where start_on >= ?) as periods,"
                + " (select count(*) from company where company_id <= ?) as companies";
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                ParameterMetaData meta = statement.getParameterMetaData();
                StringBuilder types = new StringBuilder("parameters");
                for (int i = 1; i <= meta.getParameterCount(); i++) {
                    types.append('\t').append(meta.getParameterTypeName(i));
                }
                System.out.println(types);
                for (int run = 1; run <= 8; run++) {
                    statement.setDate(1, Date.valueOf("2017-01-0" + run));
                    statement.setTime(2, Time.valueOf("12:34:5" + run));
                    statement.setObject(3, UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1" + run));
                    statement.setArray(4, connection.createArrayOf("int4", new Integer[] {run, null, 7}));
                    statement.setDate(5, Date.valueOf("2017-04-01"));
                    statement.setLong(6, 1 + run % 5);
                    try (ResultSet rs = statement.executeQuery()) {
                        while (rs.next()) {
                            Array array = rs.getArray(4);
                            Integer[] values = (Integer[]) array.getArray();
                            System.out.println("run\t" + run + "\t" + rs.getDate(1) + "\t"
                                + rs.getTime(2) + "\t" + rs.getObject(3) + "\t"
                                + java.util.Arrays.toString(values) + "\t" + rs.getLong(5) + "\t"
                                + rs.getLong(6));
                        }
                    }
                }
            }
            // Results in binary from a statement that returns rows of each type (pgjdbc asks
            // for binary results of a named statement's date, time, uuid and int[] columns).
            String typed = "select date '2017-04-01' as d, time '23:59:59.5' as t,"
                + " uuid 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' as u, array[1, 2] as a,"
                + " timestamp '2017-04-01 12:00:00' as ts";
            try (PreparedStatement statement = connection.prepareStatement(typed)) {
                for (int run = 1; run <= 7; run++) {
                    try (ResultSet rs = statement.executeQuery()) {
                        rs.next();
                        System.out.println("typed\t" + run + "\t" + rs.getDate(1) + "\t"
                            + rs.getTime(2) + "\t" + rs.getObject(3) + "\t"
                            + java.util.Arrays.toString((Integer[]) rs.getArray(4).getArray())
                            + "\t" + rs.getTimestamp(5));
                    }
                }
            }
        }
    }
}
