using Microsoft.Data.Sqlite;

namespace ConvAi.Telephony.Sqlite.Tests.Webhooks;

/// <summary>A SQLite file of its own for one test, deleted (with its WAL and shared-memory files) afterwards.</summary>
internal sealed class SqliteTestFile : IDisposable
{
    public SqliteTestFile()
    {
        Directory = Path.Combine(Path.GetTempPath(), "convai-sqlite-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        FilePath = System.IO.Path.Combine(Directory, "webhooks.db");
    }

    public string Directory { get; }

    public string FilePath { get; }

    public string ConnectionString => "Data Source=" + FilePath;

    /// <summary>Runs a query on a connection of its own (as another process would) and returns the first column of the first row.</summary>
    public long Scalar(string sql)
    {
        using var connection = new SqliteConnection(ConnectionString + ";Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the temp folder is cleaned by the system eventually.
        }
    }
}
