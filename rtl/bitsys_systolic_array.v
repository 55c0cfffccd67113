// A ROWS x COLS systolic array of bitsys PEs (KIND 0 int8, 1 binary, 2 bitserial), output
// stationary (os = 1) or weight stationary (os = 0). The driver presents unskewed vectors; the
// array skews them (row r by r cycles, OS column c by c cycles), and in WS de-skews the bottom
// row so one cycle carries all columns of one output row. rtl/README.md gives the timing.
module bitsys_systolic_array #(
  parameter integer ROWS  = 4,
  parameter integer COLS  = 4,
  parameter integer KIND  = 0,
  parameter integer LANES = 1
) (
  input  wire                   clk,
  input  wire                   rst,
  input  wire                   en,         // 0: the whole array holds
  input  wire                   os,         // 1: output stationary, 0: weight stationary
  input  wire                   load,       // WS: shift the top beats down one row (preload)
  input  wire                   drain,      // OS: shift the accumulators down one row
  input  wire [64*ROWS-1:0]     a_left,     // row r's activation word this cycle
  input  wire [64*COLS-1:0]     wb_top,     // column c's weight beat this cycle
  input  wire [64*COLS-1:0]     wx_top,
  input  wire [32*COLS-1:0]     wm_top,
  input  wire [16*COLS-1:0]     wc_top,
  input  wire                   valid_in,   // WS: a_left carries an output row's activations
  input  wire                   last_in,    // OS: a_left / wb_top carry the last beat of the fold
  output wire [64*COLS-1:0]     result,     // OS: the bottom row's accumulators; WS: one output row
  output wire                   result_valid,  // WS: result holds an output row
  output wire                   last_done   // OS: the last beat's product is in every accumulator
);
  // ---- input skew: row r delayed r cycles; OS columns delayed c cycles ----------------------
  wire [63:0] a_skewed [0:ROWS-1];
  genvar r, c;
  generate
    for (r = 0; r < ROWS; r = r + 1) begin : row_skew
      if (r == 0) begin : none
        assign a_skewed[r] = a_left[63:0];
      end else begin : delay
        reg [63:0] q [0:r-1];
        integer i;
        always @(posedge clk) begin
          if (rst) begin
            for (i = 0; i < r; i = i + 1) q[i] <= 64'd0;
          end else if (en) begin
            q[0] <= a_left[64*r +: 64];
            for (i = 1; i < r; i = i + 1) q[i] <= q[i-1];
          end
        end
        assign a_skewed[r] = q[r-1];
      end
    end
  endgenerate

  localparam integer BW = 64 + 64 + 32 + 16;  // one beat: wb, wx, wm, wc
  wire [BW-1:0] w_skewed [0:COLS-1];
  generate
    for (c = 0; c < COLS; c = c + 1) begin : col_skew
      wire [BW-1:0] beat = {wb_top[64*c +: 64], wx_top[64*c +: 64], wm_top[32*c +: 32], wc_top[16*c +: 16]};
      if (c == 0) begin : none
        assign w_skewed[c] = beat;
      end else begin : delay
        reg [BW-1:0] q [0:c-1];
        integer i;
        always @(posedge clk) begin
          if (rst) begin
            for (i = 0; i < c; i = i + 1) q[i] <= {BW{1'b0}};
          end else if (en) begin
            q[0] <= beat;
            for (i = 1; i < c; i = i + 1) q[i] <= q[i-1];
          end
        end
        // Preloaded (WS) beats enter every column together.
        assign w_skewed[c] = os ? q[c-1] : beat;
      end
    end
  endgenerate

  // ---- the grid -----------------------------------------------------------------------------
  wire [63:0] a_h   [0:ROWS-1][0:COLS];   // a_h[r][c]: into PE(r, c) from the left
  wire [BW-1:0] w_v [0:ROWS][0:COLS-1];   // w_v[r][c]: into PE(r, c) from above
  wire signed [63:0] s_v [0:ROWS][0:COLS-1];  // partial sums / accumulators into PE(r, c)
  generate
    for (r = 0; r < ROWS; r = r + 1) begin : rows
      assign a_h[r][0] = a_skewed[r];
    end
    for (c = 0; c < COLS; c = c + 1) begin : tops
      assign w_v[0][c] = w_skewed[c];
      assign s_v[0][c] = 64'sd0;
    end
    for (r = 0; r < ROWS; r = r + 1) begin : grid_r
      for (c = 0; c < COLS; c = c + 1) begin : grid_c
        wire [63:0] wb_o, wx_o;
        wire [31:0] wm_o;
        wire [15:0] wc_o;
        if (KIND == 0) begin : pe
          bitsys_pe_int8 #(.LANES(LANES)) u (
            .clk(clk), .rst(rst), .en(en), .os(os), .load(load), .clear(1'b0), .drain(drain),
            .a_in(a_h[r][c]), .wb_in(w_v[r][c][BW-1 -: 64]), .wx_in(w_v[r][c][111:48]), .wm_in(w_v[r][c][47:16]),
            .wc_in(w_v[r][c][15:0]), .psum_in(s_v[r][c]),
            .a_out(a_h[r][c+1]), .wb_out(wb_o), .wx_out(wx_o), .wm_out(wm_o), .wc_out(wc_o), .acc(s_v[r+1][c]));
        end else if (KIND == 1) begin : pe
          bitsys_pe_binary #(.LANES(LANES)) u (
            .clk(clk), .rst(rst), .en(en), .os(os), .load(load), .clear(1'b0), .drain(drain),
            .a_in(a_h[r][c]), .wb_in(w_v[r][c][BW-1 -: 64]), .wx_in(w_v[r][c][111:48]), .wm_in(w_v[r][c][47:16]),
            .wc_in(w_v[r][c][15:0]), .psum_in(s_v[r][c]),
            .a_out(a_h[r][c+1]), .wb_out(wb_o), .wx_out(wx_o), .wm_out(wm_o), .wc_out(wc_o), .acc(s_v[r+1][c]));
        end else begin : pe
          bitsys_pe_bitserial #(.LANES(LANES)) u (
            .clk(clk), .rst(rst), .en(en), .os(os), .load(load), .clear(1'b0), .drain(drain),
            .a_in(a_h[r][c]), .wb_in(w_v[r][c][BW-1 -: 64]), .wx_in(w_v[r][c][111:48]), .wm_in(w_v[r][c][47:16]),
            .wc_in(w_v[r][c][15:0]), .psum_in(s_v[r][c]),
            .a_out(a_h[r][c+1]), .wb_out(wb_o), .wx_out(wx_o), .wm_out(wm_o), .wc_out(wc_o), .acc(s_v[r+1][c]));
        end
        assign w_v[r+1][c] = {wb_o, wx_o, wm_o, wc_o};
      end
    end
  endgenerate

  // ---- outputs: WS de-skew (column c delayed COLS-1-c cycles), control pipelines -------------
  generate
    for (c = 0; c < COLS; c = c + 1) begin : deskew
      if (c == COLS - 1) begin : none
        assign result[64*c +: 64] = s_v[ROWS][c];
      end else begin : delay
        reg [63:0] q [0:COLS-2-c];
        integer i;
        always @(posedge clk) begin
          if (rst) begin
            for (i = 0; i <= COLS - 2 - c; i = i + 1) q[i] <= 64'd0;
          end else if (en) begin
            q[0] <= s_v[ROWS][c];
            for (i = 1; i <= COLS - 2 - c; i = i + 1) q[i] <= q[i-1];
          end
        end
        // OS reads the accumulators as they shift out; WS reads aligned output rows.
        assign result[64*c +: 64] = os ? s_v[ROWS][c] : q[COLS-2-c];
      end
    end
  endgenerate

  // An output row is aligned ROWS + COLS - 2 cycles after its activations entered; the last
  // beat reaches PE(ROWS-1, COLS-1) after the same skew.
  localparam integer DEPTH = ROWS + COLS - 1;
  reg [DEPTH-1:0] valid_q, last_q;
  always @(posedge clk) begin
    if (rst) begin
      valid_q <= {DEPTH{1'b0}};
      last_q  <= {DEPTH{1'b0}};
    end else if (en) begin
      valid_q <= {valid_q[DEPTH-2:0], valid_in & ~os & ~load};
      last_q  <= {last_q[DEPTH-2:0], last_in & os & ~drain};
    end
  end
  assign result_valid = valid_q[DEPTH-1];
  assign last_done = last_q[DEPTH-1];
endmodule
