using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ticketing.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PagedListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_tickets_IsWithdrawn_Status",
                table: "tickets");

            migrationBuilder.DropIndex(
                name: "IX_tickets_SellerId",
                table: "tickets");

            migrationBuilder.DropIndex(
                name: "IX_orders_BuyerId_CreatedAt",
                table: "orders");

            migrationBuilder.CreateIndex(
                name: "IX_tickets_IsWithdrawn_EventDate_CreatedAt_Id",
                table: "tickets",
                columns: new[] { "IsWithdrawn", "EventDate", "CreatedAt", "Id" },
                descending: new[] { false, false, true, true });

            migrationBuilder.CreateIndex(
                name: "IX_tickets_IsWithdrawn_Price_CreatedAt_Id",
                table: "tickets",
                columns: new[] { "IsWithdrawn", "Price", "CreatedAt", "Id" },
                descending: new[] { false, false, true, true });

            migrationBuilder.CreateIndex(
                name: "IX_tickets_IsWithdrawn_Status_CreatedAt_Id",
                table: "tickets",
                columns: new[] { "IsWithdrawn", "Status", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_tickets_SellerId_IsWithdrawn_CreatedAt_Id",
                table: "tickets",
                columns: new[] { "SellerId", "IsWithdrawn", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_orders_BuyerId_CreatedAt_Id",
                table: "orders",
                columns: new[] { "BuyerId", "CreatedAt", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_tickets_IsWithdrawn_EventDate_CreatedAt_Id",
                table: "tickets");

            migrationBuilder.DropIndex(
                name: "IX_tickets_IsWithdrawn_Price_CreatedAt_Id",
                table: "tickets");

            migrationBuilder.DropIndex(
                name: "IX_tickets_IsWithdrawn_Status_CreatedAt_Id",
                table: "tickets");

            migrationBuilder.DropIndex(
                name: "IX_tickets_SellerId_IsWithdrawn_CreatedAt_Id",
                table: "tickets");

            migrationBuilder.DropIndex(
                name: "IX_orders_BuyerId_CreatedAt_Id",
                table: "orders");

            migrationBuilder.CreateIndex(
                name: "IX_tickets_IsWithdrawn_Status",
                table: "tickets",
                columns: new[] { "IsWithdrawn", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_tickets_SellerId",
                table: "tickets",
                column: "SellerId");

            migrationBuilder.CreateIndex(
                name: "IX_orders_BuyerId_CreatedAt",
                table: "orders",
                columns: new[] { "BuyerId", "CreatedAt" });
        }
    }
}
