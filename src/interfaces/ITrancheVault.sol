// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IStrataPool, Tranche} from "./IStrataPool.sol";

/// @title ITrancheVault
/// @notice The Strata side of a tranche vault (SPEC §5, docs/redemption-queue.md): its pool and tranche, the junior
///         notice, the redemption queue and its ERC-7540 requests and claims, with the events and errors they emit.
///         The ERC-4626 surface (`deposit`, `mint`, `withdraw`, `redeem`, `max*`, `preview*`, `convertTo*`) is the
///         standard's (`IERC4626`), ERC-165 and ERC-7575 the standards' own; `TrancheVault` implements all of them.
interface ITrancheVault {
    /// @notice One redemption request. `pendingShares` are locked in the vault and wait in line; `claimableShares`
    ///         were served (burned) for `claimableAssets`. On the senior they are what the controller has not claimed
    ///         yet (`claimRedeem` zeroes them). On the junior (`servedUntil != 0`) they are what the request was
    ///         served in total: claims draw on the controller's claimable total (`ClaimableRedeem`), oldest served
    ///         shares first, and `claimableRedeemRequest` derives what is left of this request from `servedUntil`.
    ///         `requestedAt` is the request's timestamp: it is served no earlier than `requestedAt + noticePeriod()`.
    /// @dev `requestedAt` fills the free bytes of the controller's slot (added in the junior-notice release; the
    ///      requests of earlier versions read 0, i.e. no notice left to wait). `servedUntil` fills the free half of
    ///      the `claimableAssets` slot (ERC-7540 release; 0 on the senior and on junior requests served only
    ///      before it): the controller's cumulative served shares (`ClaimableRedeem.servedShares`) just after this
    ///      request's last service, so its served shares are the range `(servedUntil - claimableShares,
    ///      servedUntil]` of the controller's served sequence.
    struct RedemptionRequest {
        address controller;
        uint40 requestedAt;
        uint128 pendingShares;
        uint128 claimableShares;
        uint128 claimableAssets;
        uint128 servedUntil;
    }

    /// @notice What a junior controller may claim through ERC-7540 `redeem`/`withdraw`: `shares` served (burned)
    ///         for `assets`, not claimed yet, over all its requests; `servedShares` counts every share ever served to
    ///         its requests (so `servedShares - shares` were claimed). A controller's requests are served strictly in
    ///         id order (one FIFO line, the head is served in full before the next), so its served shares form one
    ///         ordered sequence; claims take from its oldest end.
    struct ClaimableRedeem {
        uint128 shares;
        uint128 assets;
        uint256 servedShares;
    }

    /// @notice A zero amount of assets or shares was given, or an action would move zero of either.
    error ZeroAmount();
    /// @notice `caller` is neither the controller of request `requestId` (`controller`) nor one of its operators.
    error NotRequestController(uint256 requestId, address caller, address controller);
    /// @notice Request `requestId` has no served, unclaimed assets.
    error RequestNotClaimable(uint256 requestId);
    /// @notice Request `requestId` has no pending (unserved) shares to cancel.
    error NothingToCancel(uint256 requestId);
    /// @notice `processQueue` was asked to visit zero requests.
    error ZeroMaxRequests();
    /// @notice ERC-7540: `caller` is neither `controller` nor an operator `controller` approved.
    error NotControllerOrOperator(address caller, address controller);
    /// @notice ERC-7540: the junior vault's exits are asynchronous, so `previewRedeem`/`previewWithdraw` revert
    ///         (price a request with `convertToAssets`; a request is paid at the price of its service).
    error AsyncRedeemNoPreview();
    /// @notice Junior request `requestId` was served under ERC-7540 claims: claim it with `redeem`/`withdraw`
    ///         (controller `controller`), not `claimRedeem`.
    error ClaimWithRedeem(uint256 requestId, address controller);
    /// @notice A parameter is outside its bounds: `noticePeriod` outside `[MIN_NOTICE_PERIOD, MAX_NOTICE_PERIOD]`
    ///         (the one shape of every out-of-bounds parameter, as `IStrataPool.ParameterOutOfBounds`).
    error ParameterOutOfBounds(bytes32 parameter, uint256 value, uint256 min, uint256 max);
    /// @notice The senior vault has no notice period (its exits are instant within cash); `period` was asked for.
    error SeniorHasNoNotice(uint256 period);
    /// @notice `initialize` of a proxy whose `what` is `given`, on an implementation built for `expected` (issue #30).
    error ImplementationMismatch(bytes32 what, address expected, address given);

    /// @notice ERC-7540: `owner`'s `shares` were locked in request `requestId`, controlled by `controller`.
    event RedeemRequest(
        address indexed controller, address indexed owner, uint256 indexed requestId, address sender, uint256 shares
    );
    /// @notice ERC-7540: `controller` approved (or revoked) `operator` to act on its behalf.
    event OperatorSet(address indexed controller, address indexed operator, bool approved);
    /// @notice `shares` of request `requestId` were served for `assets` at the share price of the moment;
    ///         `pendingShares` remain in line (non-zero after a partial service).
    event RedeemServed(
        uint256 indexed requestId, address indexed controller, uint256 assets, uint256 shares, uint256 pendingShares
    );
    /// @notice Senior (and pre-ERC-7540 junior) requests: the served `assets` (for `shares`) of request `requestId`
    ///         were paid to `receiver`. Junior ERC-7540 claims emit only the ERC-4626 `Withdraw`.
    event RedeemClaimed(
        uint256 indexed requestId, address indexed controller, address indexed receiver, uint256 assets, uint256 shares
    );
    /// @notice The `shares` still pending in request `requestId` left the line and went back to `controller`.
    event RedeemRequestCancelled(uint256 indexed requestId, address indexed controller, uint256 shares);
    /// @notice `processQueue` advanced the head past every finished request: the head request is now `head + 1`.
    event QueueAdvanced(uint256 head, uint256 served);
    /// @notice Governance changed the junior notice period (seconds).
    event NoticePeriodSet(uint256 oldPeriod, uint256 newPeriod);

    /// @notice The pool this vault fronts.
    /// @return The pool.
    function pool() external view returns (IStrataPool);

    /// @notice The tranche this vault fronts.
    /// @return Senior or junior.
    function tranche() external view returns (Tranche);

    /// @notice How long a redemption request waits before it may be served (SPEC §5 "Junior notice"): the junior's
    ///         governance parameter (`DEFAULT_NOTICE_PERIOD`, 24 h, until governance sets it), 0 for the senior.
    /// @return The notice period in seconds (0 on the senior).
    function noticePeriod() external view returns (uint256);

    /// @notice Sets the junior notice period, within `[MIN_NOTICE_PERIOD, MAX_NOTICE_PERIOD]`. It applies to every
    ///         pending request (service stays first-in first-out). Governance only; reverts on the senior vault.
    /// @param period The new notice period in seconds, within `[MIN_NOTICE_PERIOD, MAX_NOTICE_PERIOD]`.
    function setNoticePeriod(uint256 period) external;

    /// @notice The earliest time request `requestId` may be served: its request time plus `noticePeriod()`.
    /// @param requestId The request.
    /// @return The timestamp from which the request may be served.
    function serviceableAt(uint256 requestId) external view returns (uint256);

    /// @notice ERC-7575: the share token, this vault itself.
    /// @return The share token: this vault.
    function share() external view returns (address);

    /// @notice Served, unclaimed redemption assets held by this vault for requesters (this vault's asset balance).
    /// @return The served assets not claimed yet, in asset units.
    function totalClaimableAssets() external view returns (uint256);

    /// @notice ERC-7540: approves (or revokes) `operator` to request redemptions of the caller's shares, and to claim
    ///         (junior: `redeem`/`withdraw` with the caller as controller; senior: `claimRedeem`) and cancel the
    ///         caller's requests.
    /// @return Always true.
    /// @param operator The operator.
    /// @param approved True to approve, false to revoke.
    function setOperator(address operator, bool approved) external returns (bool);

    /// @notice ERC-7540: whether `operator` may act for `controller`.
    /// @param controller The controller.
    /// @param operator The operator.
    /// @return Whether `operator` may act for `controller`.
    function isOperator(address controller, address operator) external view returns (bool);

    /// @notice Locks `shares` of `owner` in the vault and puts them at the end of the line, controlled by
    ///         `controller` (ERC-7540 style), servable from `serviceableAt(requestId)` (now on the senior, after the
    ///         notice period on the junior). Then serves up to `AUTO_SERVE_REQUESTS` requests from the head, so a
    ///         senior request made while cash is servable is served at once, as far as cash goes.
    /// @dev The caller is `owner`, an operator of `owner`, or spends `owner`'s share allowance. Works while deposits
    ///      and borrows are paused (SPEC §8).
    /// @param shares The shares to redeem; the assets are fixed only when they are served, at that moment's price.
    /// @param controller Who may claim or cancel the request.
    /// @param owner Whose shares are locked.
    /// @return requestId The request's id (ids start at 1 and grow by one per request).
    function requestRedeem(uint256 shares, address controller, address owner) external returns (uint256 requestId);

    /// @notice Serves up to `maxRequests` requests from the head of the line, in order, each at the share price of
    ///         the moment (assets = `convertToAssets(shares)`, rounded down), from the pool's servable cash (for the
    ///         junior, within subordination; none while loans are in liquidation and the tranche's realised value is
    ///         below its value with them at book, SPEC §5 "Queue fairness"). When cash runs short the head request is
    ///         served in part (the shares worth exactly the cash left, rounded up) and processing stops. Processing
    ///         also stops at the first request whose notice has not elapsed (`serviceableAt`): first in, first out.
    ///         Anyone may call; never paused.
    /// @dev O(1) per request: a head index, no array shifting. Cancelled requests count as visited.
    /// @param maxRequests How many requests to visit at most (gas bound).
    /// @return served How many requests were served, fully or in part.
    function processQueue(uint256 maxRequests) external returns (uint256 served);

    /// @notice Pays the served, unclaimed assets of request `requestId` to `receiver`: the senior queue's claim (the
    ///         senior's `redeem`/`withdraw` are its instant ERC-4626 exits). On the junior only for requests served
    ///         before the ERC-7540 release (`servedUntil == 0`); the junior's other requests are claimed with
    ///         `redeem`/`withdraw` (`ClaimWithRedeem`).
    /// @dev Controller (or its operator) only. Emits the ERC-4626 `Withdraw` event with the controller as owner.
    ///      Works while deposits and borrows are paused (SPEC §8).
    /// @return assets The assets paid.
    /// @param requestId The request.
    /// @param receiver Who receives the assets.
    function claimRedeem(uint256 requestId, address receiver) external returns (uint256 assets);

    /// @notice Takes the unserved shares of request `requestId` out of the line and returns them to its controller.
    ///         A part already served stays claimable.
    /// @dev Controller (or its operator) only. Works while deposits and borrows are paused (SPEC §8).
    /// @return shares The shares returned.
    /// @param requestId The request.
    function cancelRedeemRequest(uint256 requestId) external returns (uint256 shares);

    /// @notice ERC-7540: the shares of request `requestId` still waiting in line, if `controller` controls it.
    /// @param requestId The request.
    /// @param controller Its controller (0 is returned for another address).
    /// @return The pending shares.
    function pendingRedeemRequest(uint256 requestId, address controller) external view returns (uint256);

    /// @notice ERC-7540: the shares of request `requestId` served but not claimed yet, if `controller` controls it.
    ///         Junior: a controller's claims take its oldest served shares first, so this is what is left of the
    ///         request's served shares once the controller's claimed shares (`servedShares - shares` of
    ///         `claimableRedeem(controller)`) are taken from the oldest end; the sum over a controller's requests is
    ///         `maxRedeem(controller)` (plus requests served before the ERC-7540 release, see `claimRedeem`).
    ///         O(1), never reverts.
    /// @param requestId The request.
    /// @param controller Its controller (0 is returned for another address).
    /// @return The served, unclaimed shares.
    function claimableRedeemRequest(uint256 requestId, address controller) external view returns (uint256);

    /// @notice Junior: what `controller` may claim with `redeem`/`withdraw` (`shares`, `assets`: `maxRedeem`,
    ///         `maxWithdraw`) and the shares ever served to its requests (`servedShares`). Zero on the senior.
    /// @param controller The controller.
    /// @return Its claimable shares and assets and its served shares.
    function claimableRedeem(address controller) external view returns (ClaimableRedeem memory);

    /// @notice Request `requestId` as stored (controller, pending shares, claimable shares and assets).
    /// @param requestId The request.
    /// @return The stored request.
    function redeemRequest(uint256 requestId) external view returns (RedemptionRequest memory);

    /// @notice The line: the head request is `head + 1` (when `head < requestCount`), `requestCount` is the last id
    ///         given, `pendingShares` the shares waiting in line in all requests.
    /// @return head The id of the last request passed (the head request is `head + 1`).
    /// @return requestCount The last request id given.
    /// @return pendingShares The shares waiting in line in all requests.
    function queue() external view returns (uint256 head, uint256 requestCount, uint256 pendingShares);
}
