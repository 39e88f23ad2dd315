using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ticketing.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TicketDelivery : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "e_tickets",
                columns: table => new
                {
                    OrderId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TicketId = table.Column<Guid>(type: "TEXT", nullable: false),
                    BuyerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Serial = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    IssuedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    SellerSendsBy = table.Column<long>(type: "INTEGER", nullable: true),
                    AdmittedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AdmittedBy = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_e_tickets", x => x.OrderId);
                });

            migrationBuilder.CreateTable(
                name: "signing_keys",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Secret = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_signing_keys", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "ticket_file_contents",
                columns: table => new
                {
                    Key = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Content = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ticket_file_contents", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "ticket_files",
                columns: table => new
                {
                    TicketId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SellerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    Size = table.Column<int>(type: "INTEGER", nullable: false),
                    Sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    StorageKey = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    AttachedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ticket_files", x => x.TicketId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_e_tickets_Serial",
                table: "e_tickets",
                column: "Serial",
                unique: true);

            // Orders paid before e-tickets existed get theirs now (no seller deadline is set after the fact).
            migrationBuilder.Sql("INSERT INTO e_tickets (OrderId, TicketId, BuyerId, Serial, IssuedAt) SELECT Id, TicketId, BuyerId, lower(hex(randomblob(10))), UpdatedAt FROM orders WHERE Status = 'Complete'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "e_tickets");

            migrationBuilder.DropTable(
                name: "signing_keys");

            migrationBuilder.DropTable(
                name: "ticket_file_contents");

            migrationBuilder.DropTable(
                name: "ticket_files");
        }
    }
}
