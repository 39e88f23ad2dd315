using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ticketing.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class AdminGridIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_tickets_IsWithdrawn_CreatedAt_Id",
                table: "tickets",
                columns: new[] { "IsWithdrawn", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_tickets_IsWithdrawn_Price_Id",
                table: "tickets",
                columns: new[] { "IsWithdrawn", "Price", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_tickets_IsWithdrawn_Status_Id",
                table: "tickets",
                columns: new[] { "IsWithdrawn", "Status", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_tickets_IsWithdrawn_Title_Id",
                table: "tickets",
                columns: new[] { "IsWithdrawn", "Title", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_orders_CreatedAt_Id",
                table: "orders",
                columns: new[] { "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_orders_Price_Id",
                table: "orders",
                columns: new[] { "Price", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_orders_Status_Id",
                table: "orders",
                columns: new[] { "Status", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_orders_TicketTitle_Id",
                table: "orders",
                columns: new[] { "TicketTitle", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_tickets_IsWithdrawn_CreatedAt_Id",
                table: "tickets");

            migrationBuilder.DropIndex(
                name: "IX_tickets_IsWithdrawn_Price_Id",
                table: "tickets");

            migrationBuilder.DropIndex(
                name: "IX_tickets_IsWithdrawn_Status_Id",
                table: "tickets");

            migrationBuilder.DropIndex(
                name: "IX_tickets_IsWithdrawn_Title_Id",
                table: "tickets");

            migrationBuilder.DropIndex(
                name: "IX_orders_CreatedAt_Id",
                table: "orders");

            migrationBuilder.DropIndex(
                name: "IX_orders_Price_Id",
                table: "orders");

            migrationBuilder.DropIndex(
                name: "IX_orders_Status_Id",
                table: "orders");

            migrationBuilder.DropIndex(
                name: "IX_orders_TicketTitle_Id",
                table: "orders");
        }
    }
}
