// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IStrataPool} from "./IStrataPool.sol";

/// @notice Auction parameters, bounded in code (see `DutchAuctionLiquidator`).
struct AuctionParams {
    uint32 startMultiplierBps;
    uint32 endMultiplierBps;
    uint32 auctionDuration;
    uint32 recoveryTimeout;
}

/// @notice An auction's state. `auctionId == loanId`. Prices are fixed at start; `owed` is debt + penalty.
struct Auction {
    uint128 startPrice;
    uint128 endPrice;
    uint128 owed;
    uint40 startTime;
    uint32 duration;
    AuctionStatus status;
}

/// @notice An auction's life cycle. Each auction leaves `Running` exactly once.
enum AuctionStatus {
    None,
    Running,
    Sold,
    Redeemed,
    Recovered
}

/// @title ILiquidator
/// @notice Liquidation of overdue or unhealthy loans by descending-price (Dutch) auction (SPEC §7).
interface ILiquidator {
    error NotLiquidatable(uint256 loanId);
    error AuctionNotRunning(uint256 auctionId);
    error PriceAboveMax(uint256 price, uint256 maxPrice);
    error RecoveryTooEarly(uint256 auctionId, uint256 availableAt);
    error ParameterOutOfBounds(bytes32 parameter, uint256 value, uint256 min, uint256 max);
    error NothingToClaim(address account);
    /// @notice `initialize` of a proxy whose `what` is `given`, on an implementation built for `expected` (issue #30).
    error ImplementationMismatch(bytes32 what, address expected, address given);

    /// @notice Emitted when an auction starts: its prices derive from `reference` (the appraisal) and the auction
    ///         parameter set `paramsId` (see `auction` for the start and end prices).
    event AuctionStarted(
        uint256 indexed auctionId, address indexed keeper, uint256 reference_, uint256 owed, uint256 paramsId
    );
    /// @notice Auction `auctionId` sold to `buyer` at `price`: `toPool` repaid the pool, `surplus` is the borrower's.
    event AuctionSold(uint256 indexed auctionId, address indexed buyer, uint256 price, uint256 toPool, uint256 surplus);
    /// @notice The borrower's NFT of auction `auctionId` was redeemed by `payer` for `amount`.
    event AuctionRedeemed(uint256 indexed auctionId, address indexed payer, uint256 amount);
    /// @notice Governance moved the unsold NFT of auction `auctionId` to `to`.
    event AuctionRecovered(uint256 indexed auctionId, address indexed to, uint256 estimate);
    /// @notice Governance changed the auction parameters; running auctions keep theirs.
    event AuctionParamsSet(AuctionParams oldParams, AuctionParams newParams);
    /// @notice A borrower's surplus of `amount` from an auction was paid to `receiver`.
    event SurplusClaimed(address indexed borrower, address indexed receiver, uint256 amount);

    /// @notice The pool this liquidator serves (an immutable of its implementation).
    function pool() external view returns (IStrataPool);

    /// @notice Starts the liquidation of loan `loanId` (overdue past grace, or unhealthy at a fresh price): the loan
    ///         is impaired in the pool, which keeps its NFT until the auction ends (SPEC §7.1), and an auction with id
    ///         `loanId` starts. Anyone.
    function liquidate(uint256 loanId) external returns (uint256 auctionId);

    /// @notice Buys the NFT of a running auction at the current price, if `<= maxPrice`. Proceeds go to the pool up
    ///         to the debt plus penalty; the surplus is held here for the borrower (pull). The NFT goes to the caller.
    function buy(uint256 auctionId, uint256 maxPrice) external returns (uint256 price);

    /// @notice Pays debt plus penalty of a loan in auction and returns its NFT to the borrower. Anyone may pay.
    function redeem(uint256 loanId) external returns (uint256 amount);

    /// @notice Sends the NFT of an auction unsold past `recoveryTimeout` (the timeout in force when the auction
    ///         started) to governance's recovery address `to`. The loan stays in liquidation at `estimate` (at most
    ///         its book value; the difference is realised now) until `StrataPool.settleRecovery` books the sale, so
    ///         deposits and queues stay priced as while the auction ran (SPEC §7.5). Governance only.
    /// @param auctionId The unsold auction (its loan's id).
    /// @param to The recovery address that receives the NFT.
    /// @param estimate What governance expects the NFT to bring, in asset units, at most the loan's book value.
    function recoverUnsold(uint256 auctionId, address to, uint256 estimate) external;

    /// @notice Pays the caller's auction surplus (sale price above debt plus penalty) to `receiver`.
    function claim(address receiver) external returns (uint256 amount);

    /// @notice The auction surplus `borrower` can claim.
    function claimable(address borrower) external view returns (uint256);

    /// @notice The current price of a running auction.
    function currentPrice(uint256 auctionId) external view returns (uint256);

    /// @notice An auction's state.
    function auction(uint256 auctionId) external view returns (Auction memory);

    /// @notice `appraisal * liquidationThreshold / debt` as a WAD (< 1e18 is unhealthy) and whether the price is
    ///         fresh. Reverts for a loan that is not active.
    function health(uint256 loanId) external view returns (uint256 healthWad, bool priceFresh);

    /// @notice Whether loan `loanId` may be liquidated now.
    function isLiquidatable(uint256 loanId) external view returns (bool);
}
